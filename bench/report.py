"""docs/PERFORMANCE.md from one ``make bench`` run: the machine, every figure, the ratios to the
references, and the issue's targets marked met or not met."""

from pathlib import Path

from .measure import WARM_UP

LIST_TARGET = 3.0       # /log/ p95 within 3× the bare keyset view
LOGGING_TARGET = 0.5    # logging at least half the bare insert view's throughput
# Logging as a person does it, the form fetched and sent: reported beside the POSTs alone, which
# the issue measured against the bare insert view (a POST, nothing fetched) and the target judges.
WHOLE_ENTRY = "log form, a whole entry (GET the form, then POST it)"
SCHEDULER_TARGET = 60   # seconds, at 1M entries with 1,000 due for destruction
PDF_TARGET = 1.2        # the agreement PDF within 1.2× bare WeasyPrint


def _ms(seconds) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds is not None else "–"


def _verdict(met: bool) -> str:
    return "**met**" if met else "**not met**"


def judged_against_keyset(label: str) -> bool:
    """Whether the page ``label`` is one of the log's lists the ``/log/`` target judges (the
    inbox, a list of another kind, is not)."""
    return label.startswith("/log/") and "inbox" not in label


def keyset_reference(label: str) -> str:
    """The label of the bare keyset view a list page is measured against: the deep one for the
    deep page."""
    return "reference: bare keyset view, deep" if "deep" in label else "reference: bare keyset view"


def _reference_p95(pages: dict, label: str, figures: dict) -> float | None:
    """The p95 a ``/log/`` page is judged against: its reference's, taken in turn with it
    (``bench.measure.timed_side_by_side``); for a run recorded before that, the reference's
    measured on its own."""
    if figures.get("reference", {}).get("p95"):
        return figures["reference"]["p95"]
    alone = pages.get(keyset_reference(label), {})
    return alone.get("p95")


def _page_rows(run: dict) -> list[str]:
    pages = run["pages"]
    rows = []
    for label, figures in pages.items():
        if "error" in figures:
            rows.append(f"| {label} | {figures['error']} | | | | | |")
            continue
        beside, ratio = "", ""
        if judged_against_keyset(label):
            reference = _reference_p95(pages, label, figures)
            beside = _ms(figures["reference"]["p95"]) if "reference" in figures else ""
            ratio = f"{figures['p95'] / reference:.1f}×" if reference else ""
        rows.append(f"| {label} | {_ms(figures['p50'])} | {_ms(figures['p95'])} | {figures['n']} | "
                    f"{figures['bytes'] / 1024:,.0f} KB | {beside} | {ratio} |")
    return rows


def _targets(run: dict) -> list[str]:
    pages, logging = run["pages"], run["logging"]
    lines = []
    ratios = [(label, figures["p95"] / reference) for label, figures in pages.items()
              if judged_against_keyset(label) and "p95" in figures
              and (reference := _reference_p95(pages, label, figures))]
    if ratios:
        worst_label, worst = max(ratios, key=lambda pair: pair[1])
        lines.append(f"- `/log/` p95 within {LIST_TARGET:g}× the bare keyset view, any role, filter and depth: "
                     f"worst {worst:.1f}× ({worst_label}); {sum(ratio <= LIST_TARGET for _, ratio in ratios)} of "
                     f"{len(ratios)} pages within: {_verdict(worst <= LIST_TARGET)}")
    form = logging.get("log form (real POST)", {})
    bare = logging.get("reference: bare insert view", {})
    if bare.get("per_second"):
        share = form.get("per_second", 0) / bare["per_second"]
        note = f" ({form['error']})" if form.get("error") else ""
        whole = logging.get(WHOLE_ENTRY, {})
        also = (f"; a whole entry, the form fetched and sent: {whole['per_second']:.1f} entries/s, "
                f"{whole['per_second'] / bare['per_second']:.0%}" if whole.get("per_second") else "")
        lines.append(f"- Logging at least {LOGGING_TARGET:.0%} of the bare insert view's throughput (the POSTs, as "
                     f"the issue measured): {form.get('per_second', 0):.1f} against {bare['per_second']:.1f} "
                     f"entries/s, {share:.0%}{also}{note}: "
                     f"{_verdict(share >= LOGGING_TARGET and not form.get('error'))}")
    scheduler = run["scheduler"]
    lines.append(f"- The daily scheduler under {SCHEDULER_TARGET} s: {scheduler['seconds']:.1f} s"
                 f" ({scheduler['destroyed'] if scheduler['destroyed'] is not None else '?'} entries destroyed"
                 f"{'' if scheduler['ok'] else ', a step failed'}): "
                 f"{_verdict(scheduler['ok'] and scheduler['seconds'] < SCHEDULER_TARGET)}"
                 + ("" if run["size"] >= 1_000_000 else " (the target is set at 1M entries)"))
    pdf = next((figures for label, figures in pages.items() if label.startswith("agreement PDF")), {})
    weasy = pdf.get("reference") or pages.get("reference: bare WeasyPrint", {})
    if pdf.get("p50") and weasy.get("p50"):
        ratio = pdf["p50"] / weasy["p50"]
        lines.append(f"- The agreement PDF within {PDF_TARGET:g}× bare WeasyPrint (p50): {ratio:.2f}×: "
                     f"{_verdict(ratio <= PDF_TARGET)}")
    return lines


def _other_run(title: str, run: dict) -> list[str]:
    """A scheduler run reported apart from the daily run the target judges: its title, seconds,
    whether a step failed, and what each step said."""
    return [
        f"{title}: {run['seconds']:.1f} s" + ("" if run["ok"] else ", a step failed") + ". It said:",
        "",
        *[f"- {line}" for line in run["steps"]],
        "",
    ]


def _weekly(weekly: dict) -> list[str]:
    """The weekly run, made with the template or just before the daily run (decision 0066)."""
    when = "when the template was made" if weekly.get("with_template") else "just before"
    return _other_run(f"Weekly run (`run_scheduler --weekly`, the whole chain checked), {when}", weekly)


def _yesterday(yesterday: dict) -> list[str]:
    """Yesterday's daily run, made with the template (``bench.volume.yesterday``): the reminders of
    the generated three years, made as the portal's earlier runs would have."""
    return _other_run("Yesterday's daily run (retention and chain check aside), when the template was made",
                      yesterday)


START, END = "<!-- make bench: start -->", "<!-- make bench: end -->"


def write_report(path: Path, *, machine: dict, runs: list[dict], args: dict) -> None:
    """Write the run's section of ``path`` (between ``START`` and ``END``, added at the end the
    first time); what the rest of the file says (the volume generator's times) stays."""
    section = "\n".join([START, *_section(machine=machine, runs=runs, args=args), END])
    text = path.read_text() if path.exists() else "# Performance\n"
    if START in text and END in text:
        text = text[:text.index(START)] + section + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text)


def _section(*, machine: dict, runs: list[dict], args: dict) -> list[str]:
    lines = [
        "## `make bench`: pages and actions against their references",
        "",
        "Written by `make bench` (`bench/run.py`); do not edit by hand. Every figure below comes from one",
        "run: the portal served by gunicorn (two workers, DEBUG off) on 127.0.0.1 against PostgreSQL, and",
        "each page measured beside its reference, served by the same processes in the same minutes",
        "(`bench/site/references.py`). Ratios, not absolute times, are what carry from one machine to another.",
        "",
        f"- Date: {machine['date']}",
        f"- Machine: {machine['cpus']} CPUs ({machine['cpu']}), {machine['memory_gib']} GiB; "
        f"load average at the end {', '.join(f'{value:.1f}' for value in machine['load'])}",
        f"- Python {machine['python']}; {machine['postgresql']}",
        f"- Each page: {args['requests']} requests after {WARM_UP} to warm up, at most {args['budget']:g} s;"
        f" logging: two clients for {args['seconds']:g} s.",
        *(["- The templates of the larger sizes were generated while the smaller sizes were measured "
           "(`--generate-ahead`): those measurements shared the cores with the generator."]
          if args.get("generate_ahead") and any(run.get("generated_seconds") for run in runs[1:]) else []),
        "",
    ]
    for run in runs:
        subjects = run["subjects"]
        lines += [
            f"### {run['size']:,} entries",
            "",
            f"{subjects['entries']:,} entries in the log; the SPOC's organisation logged "
            f"{subjects['entries_of_organisation']:,} of them."
            + (f" Generated in {run['generated_seconds']:.0f} s." if run.get("generated_seconds") else "")
            + (f" Measured on a fresh copy of the template generated {run['template_made']}."
               if run.get("template_made") else ""),
            "",
            "#### Targets",
            "",
            *_targets(run),
            "",
            "#### Pages",
            "",
            "Each `/log/` page was taken in turn with its bare keyset view (page, reference, page …), and",
            "its ratio is to that reference's p95 in the same pass (\"keyset p95 beside it\"); the keyset",
            "views' own rows were measured alone. The PDF was taken in turn with bare WeasyPrint, whose row",
            "is that pass.",
            "",
            "| page | p50 | p95 | requests | size | keyset p95 beside it | p95 ÷ keyset |",
            "|---|---|---|---|---|---|---|",
            *_page_rows(run),
            "",
            "#### Logging",
            "",
            "| how | entries a second | entries |",
            "|---|---|---|",
            *[f"| {label} | {figures['per_second']:.1f} | {figures['logged']:,} |"
              + (f" {figures['error']}" if figures.get("error") else "")
              for label, figures in run["logging"].items()],
            "",
            f"Daily scheduler: {run['scheduler']['seconds']:.1f} s"
            + (f", with {run['scheduler']['due']:,} entries due for destruction when it started"
               if run["scheduler"].get("due") is not None else "") + ". Its steps said:",
            "",
            *[f"- {line}" for line in run["scheduler"]["steps"]],
            "",
            *(_weekly(run["weekly"]) if run.get("weekly") else []),
            *(_yesterday(run["yesterday"]) if run.get("yesterday") else []),
        ]
    lines += [
        "### What grows with what",
        "",
        "Compare the sections above: a page whose p95 grows with the number of entries while its",
        "reference stays flat reads more than the rows it shows.",
    ]
    return lines
