// The log form (sharing_log/templates/sharing_log/disclosure_form.html), made quicker with
// JavaScript; it works without it (decision 0040).
//
// - Each answer to "What happened?" shows its own questions ([data-decision-reveal]: why it was
//   necessary, or why not), and the questions only a share is asked ([data-shared-only]) hide
//   for a decision not to share. Without JavaScript the page shows those of the answer it was
//   given; the server ignores the questions that do not apply.
// - Choosing the partner fills in who received it with the partner's named SPOC, when it names
//   exactly one and the person has not typed a name of their own.
// - Choosing the partner also fills in how much was shared and what it included as in the
//   person's last share to that partner under the agreement (#log-last-shares, decision 0047),
//   unless they have answered them themselves, and shows that it did ([data-filled-from-last]).
//   Nothing else is carried over: consent, telling the person and the reason are the case's.

function fillFromLastShare(form, partner) {
  const source = document.getElementById("log-last-shares");
  if (!source) return;
  const lastShares = JSON.parse(source.textContent);
  const levels = [...form.querySelectorAll("input[name='data_level']")];
  const categories = [...form.querySelectorAll("input[name='data_categories']")];
  const note = form.querySelector("[data-filled-from-last]");
  // Whether the answers shown are the filled-in ones (the server fills them when it knows the
  // partner), and whether the person has answered them since.
  let filled = Boolean(note && !note.hidden);
  let answered = false;
  [...levels, ...categories].forEach((input) => input.addEventListener("change", () => { answered = true; }));
  partner.addEventListener("change", () => {
    if (answered) return;
    const last = lastShares[partner.value];
    if (!last && !filled) return;
    const level = last ? last.data_level : "";
    const chosen = last ? last.data_categories : [];
    levels.forEach((radio) => { radio.checked = radio.value === level; });
    categories.forEach((box) => { box.checked = chosen.includes(box.value); });
    filled = Boolean(last);
    if (note) note.hidden = !filled;
  });
}

export function initLogForm(form) {
  const decisions = form.querySelectorAll("input[name='decision']");
  const sharedOnly = form.querySelectorAll("[data-shared-only]");
  const reasons = form.querySelectorAll("[data-decision-reveal]");
  const showShared = () => {
    const chosen = form.querySelector("input[name='decision']:checked");
    const decision = chosen ? chosen.value : "shared";
    sharedOnly.forEach((section) => { section.hidden = decision !== "shared"; });
    reasons.forEach((block) => { block.hidden = block.dataset.decisionReveal !== decision; });
  };
  decisions.forEach((radio) => radio.addEventListener("change", showShared));
  showShared();

  const partner = form.querySelector("select[name='recipient_organisation']");
  if (partner) fillFromLastShare(form, partner);
  const inputs = {
    name: form.querySelector("input[name='recipient_name']"),
    jobTitle: form.querySelector("input[name='recipient_job_title']"),
    contact: form.querySelector("input[name='recipient_contact']"),
  };
  if (!partner || !inputs.name) return;
  let filled = inputs.name.value;
  partner.addEventListener("change", () => {
    if (inputs.name.value && inputs.name.value !== filled) return;
    const spocs = form.querySelectorAll(`[data-spoc-organisation='${CSS.escape(partner.value)}']`);
    const spoc = spocs.length === 1 ? spocs[0].dataset : { name: "", jobTitle: "", contact: "" };
    inputs.name.value = spoc.name;
    inputs.jobTitle.value = spoc.jobTitle;
    inputs.contact.value = spoc.contact;
    filled = spoc.name;
  });
}

document.querySelectorAll("form[data-log-form]").forEach(initLogForm);
