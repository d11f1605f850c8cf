"""The shape of the whole (docs/decisions/0017): the apps import one way, down the layers, and
no module imports itself back through others.

    govuk_blocks ← partners ← agreements ← sharing_log ← isa_portal ← api

``api`` (the REST API for case systems, docs/decisions/0051) may import every app and nothing
imports it: the root URLconf includes its routes by name. ``sso`` (sign-in through each
organisation's identity provider, docs/decisions/0060) sits on ``partners`` and is included by
name the same way.

grimp reads every import statement of the apps, those inside functions included, without
running them; a lazy import that only hides a cycle is still a cycle.
"""

import sys

import grimp
import pytest

# Highest first, as grimp wants them.
LAYERS = ("api", "isa_portal", "sso", "sharing_log", "agreements", "partners", "govuk_blocks")


@pytest.fixture(scope="module")
def graph():
    return build()


def build():
    return grimp.build_graph(
        *LAYERS, include_external_packages=True, exclude_type_checking_imports=True, cache_dir=None,
    )


def _internal(graph, module: str) -> bool:
    return module.split(".")[0] in LAYERS


def import_cycles(graph) -> list[list[str]]:
    """Every group of app modules that import one another round in a circle (Tarjan's strongly
    connected components), each sorted, largest first."""
    modules = sorted(m for m in graph.modules if _internal(graph, m))
    index, low, on_stack, stack, groups = {}, {}, set(), [], []

    def visit(start: str) -> None:
        # Iterative, so a long chain of imports cannot exhaust Python's recursion limit.
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, targets = work[-1]
            for target in targets:
                if not _internal(graph, target):
                    continue
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.find_modules_directly_imported_by(target)))))
                    break
                if target in on_stack:
                    low[module] = min(low[module], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
                if low[module] == index[module]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == module:
                            break
                    if len(group) > 1 or graph.direct_import_exists(importer=module, imported=module):
                        groups.append(sorted(group))

    for module in modules:
        if module not in index:
            visit(module)
    return sorted(groups, key=len, reverse=True)


def _describe(graph, group: list[str]) -> str:
    lines = []
    for importer in group:
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if imported in group:
                for detail in graph.get_import_details(importer=importer, imported=imported):
                    lines.append(f"  {importer}:{detail['line_number']} imports {imported}")
    return "\n".join(lines)


def test_no_module_of_the_apps_is_part_of_an_import_cycle(graph):
    cycles = import_cycles(graph)

    assert not cycles, "Import cycles:\n" + "\n\n".join(_describe(graph, group) for group in cycles)


def test_the_cycle_finder_finds_a_cycle_made_on_purpose():
    # Proves the test above can fail: two modules of a fresh graph made to import each other.
    graph = build()
    graph.add_import(importer="govuk_blocks.dates", imported="govuk_blocks.forms")
    graph.add_import(importer="govuk_blocks.forms", imported="govuk_blocks.dates")

    assert ["govuk_blocks.dates", "govuk_blocks.forms"] in import_cycles(graph)


def test_no_app_imports_from_an_app_above_it(graph):
    illegal = graph.find_illegal_dependencies_for_layers(layers=LAYERS)

    assert not illegal, "\n".join(
        f"{dependency.importer} imports {dependency.imported}, which is above it: "
        + "; ".join(" → ".join(route.heads) + " … " + " → ".join(route.tails) for route in dependency.routes)
        for dependency in sorted(illegal, key=lambda d: (d.importer, d.imported))
    )


# The one exception: the exports' workbook writer (docs/decisions/0056) uses openpyxl, already
# the directory import's reader (docs/decisions/0020), so every app's exports share one writer.
ALLOWED_OUTSIDE = {"govuk_blocks.exports": {"openpyxl"}}


def test_the_building_blocks_import_only_django_and_the_standard_library(graph):
    outside = {
        f"{module} imports {imported}"
        for module in graph.find_descendants("govuk_blocks") | {"govuk_blocks"}
        for imported in graph.find_modules_directly_imported_by(module)
        if imported.split(".")[0] not in {"django", "govuk_blocks", *sys.stdlib_module_names,
                                          *ALLOWED_OUTSIDE.get(module, ())}
    }

    assert not outside, sorted(outside)


# Issue 10: no application module over about 500 lines, migrations aside. A module that grows past
# this is split by feature (as agreements/ is) before it lands.
MODULE_LINES = 500


def long_modules(root, limit: int = MODULE_LINES) -> list[str]:
    """The Python modules of the apps under ``root`` longer than ``limit`` lines, migrations aside."""
    found = []
    for app in LAYERS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > limit:
                found.append(f"{path.relative_to(root)}: {lines} lines")
    return found


def test_no_module_of_the_apps_is_over_about_500_lines():
    from django.conf import settings

    assert long_modules(settings.BASE_DIR) == []


def test_the_length_check_finds_a_long_module(tmp_path):
    (tmp_path / "partners" / "migrations").mkdir(parents=True)
    (tmp_path / "partners" / "long.py").write_text("x = 1\n" * (MODULE_LINES + 1))
    (tmp_path / "partners" / "short.py").write_text("x = 1\n" * MODULE_LINES)
    (tmp_path / "partners" / "migrations" / "0001_initial.py").write_text("x = 1\n" * 2000)

    assert long_modules(tmp_path) == [f"partners/long.py: {MODULE_LINES + 1} lines"]
