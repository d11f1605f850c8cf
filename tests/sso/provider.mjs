// A real OpenID Connect provider (the `oidc-provider` package) for the single sign-on tests
// (issue 17, item 1; docs/decisions/0060). Started on 127.0.0.1 by tests/oidc_provider.py.
//
//   node tests/sso/provider.mjs PORT
//
// Prints "listening ISSUER" once it accepts connections. Nothing here is a stand-in: discovery,
// JWKS, the authorisation code flow with PKCE, the token endpoint and signed ID tokens are the
// package's own. What the tests choose is the people (POST /test/accounts: login, password,
// claims, and the `amr`/`acr` their sign-in asserts) and the clients (open dynamic registration,
// RFC 7591, at /reg). The login and sign-out pages are this script's own: the package's development
// pages load a web font from the internet, and the tests reach nothing outside this machine.
// Sign-out at the provider (RP-initiated logout, at the discovery document's end_session_endpoint)
// is the package's own too. GET /test/discovery-fetches says how many times the discovery document
// has been read, so that the portal's cache of it can be counted.
import crypto from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const issuer = `http://127.0.0.1:${port}`;
const accounts = new Map(); // login -> { password, claims, amr, acr }
let discoveryFetches = 0;

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

const MFA_ACR = 'urn:test:mfa';
const PASSWORD_ACR = 'urn:test:password';

const provider = new Provider(issuer, {
  jwks: { keys: [jwk] },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  features: {
    devInteractions: { enabled: false },
    registration: { enabled: true },
    // The package asks the person to confirm, then redirects to the client's registered
    // post_logout_redirect_uri.
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Sign out', `<h1>Test identity provider: sign out</h1>
<p>Do you want to sign out of the test identity provider?</p>${form}
<p><button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button></p>
<p><button type="submit" form="op.logoutForm">No, stay signed in</button></p>`);
      },
      postLogoutSuccessSource: async (ctx) => {
        ctx.body = page('Signed out', '<h1>Test identity provider: signed out</h1>');
      },
    },
  },
  acrValues: [MFA_ACR, PASSWORD_ACR],
  // amr and acr ride with the openid scope, so that every ID token carries what the sign-in asserted.
  claims: { sid: null, openid: ['sub', 'acr', 'amr', 'auth_time'], email: ['email', 'email_verified'], profile: ['name'] },
  // The ID token carries the person's claims, as Microsoft Entra ID's does: the portal reads them
  // from the token it has verified, and does not call the userinfo endpoint.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const account = accounts.get(sub);
    if (!account) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...account.claims }) };
  },
  // A first-party client: no consent page.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Error', `<h1>Error</h1><p id="error">${escape(out.error)}: ${escape(out.error_description || '')}</p>`);
  },
});
provider.proxy = false;

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)} – Test identity provider</title>`
    + `<meta name="viewport" content="width=device-width, initial-scale=1"></head><body><main>${body}</main></body></html>`;
}

function loginPage(uid, error) {
  return page('Sign in', `<h1>Test identity provider: sign in</h1>${error ? `<p id="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login" autocomplete="off">
<p><label for="login">Username</label> <input id="login" name="login" type="text" required></p>
<p><label for="password">Password</label> <input id="password" name="password" type="password" required></p>
<p><button type="submit">Sign in</button></p></form>`);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res, status, type, body) {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

const callback = provider.callback();

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, issuer);
    if (url.pathname === '/.well-known/openid-configuration') discoveryFetches += 1;
    if (url.pathname === '/test/discovery-fetches' && req.method === 'GET') {
      return send(res, 200, 'application/json', JSON.stringify({ count: discoveryFetches }));
    }
    if (url.pathname === '/test/accounts' && req.method === 'POST') {
      const { login, password, claims, amr, acr } = JSON.parse(await readBody(req));
      accounts.set(login, { password, claims, amr, acr });
      return send(res, 204, 'text/plain', '');
    }
    const match = url.pathname.match(/^\/interaction\/([^/]+)(\/login)?$/);
    if (match) {
      const details = await provider.interactionDetails(req, res);
      if (details.uid !== match[1]) return send(res, 400, 'text/plain', 'wrong interaction');
      if (details.prompt.name !== 'login') return send(res, 501, 'text/plain', `prompt ${details.prompt.name}`);
      if (!match[2]) return send(res, 200, 'text/html; charset=utf-8', loginPage(details.uid));
      const form = new URLSearchParams(await readBody(req));
      const login = form.get('login') || '';
      const account = accounts.get(login);
      const given = Buffer.from(form.get('password') || '');
      const expected = Buffer.from(account ? account.password : '');
      if (!account || given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
        return send(res, 200, 'text/html; charset=utf-8', loginPage(details.uid, 'Wrong username or password.'));
      }
      const result = { login: { accountId: login } };
      if (account.amr) result.login.amr = account.amr;
      if (account.acr) result.login.acr = account.acr;
      return await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    }
    return callback(req, res);
  } catch (error) {
    send(res, 500, 'text/plain', String(error && error.message));
  }
});

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${issuer}\n`);
});
