// Initialise GOV.UK Frontend and MOJ Frontend components.
//
// Loaded from base.html as <script type="module">, so it runs only in browsers that
// support ES modules: the same test GOV.UK Frontend's inline snippet makes, done here
// instead so no inline script is needed (strict Content Security Policy).
// Both vendor files are ES modules copied by scripts/build_assets.py.
import { initAll as initGovukFrontend } from "../vendor/govuk/govuk-frontend.min.js";
import { initAll as initMojFrontend } from "../vendor/moj/moj-frontend.min.js";
import { initTables } from "./tables.js";
import "./log-form.js";

// "govuk-frontend-supported" must be on <body> before initAll, which checks for it;
// MOJ Frontend's styles still key some components off "js-enabled".
document.body.classList.add("js-enabled", "govuk-frontend-supported");

initGovukFrontend();
initMojFrontend();
initTables();
