"""The flow map's layout (isa_portal/reports/flow_diagram.py): a row a flow, two columns, kept
within its width at forty parties; each kind of flow told apart by line and words."""

import itertools

from agreements.models import Agreement
from isa_portal.reports.charts import NARROW, WIDTH
from isa_portal.reports.flow_diagram import CHARACTER, flow_diagram
from isa_portal.reports.flows import DECLARED_USED, UNDECLARED, UNUSED, FlowRow
from isa_portal.reports.suppression import FEWER, Figure


def rows(count: int) -> list[FlowRow]:
    agreement = Agreement(title="Borsetshire Community Safety Partnership Agreement")
    made = []
    for number in range(count):
        state = (DECLARED_USED, UNDECLARED, UNUSED)[number % 3]
        row = FlowRow(agreement=agreement, source=f"Borsetshire and Felpersham Housing Association {number}",
                      target="Borsetshire County Council Community Safety Team", state=state,
                      level="Minimum data (identifying details)" if state != UNUSED else
                      "Aggregate (no one identifiable); Minimum data (identifying details); Detailed; "
                      "Detailed and sensitive")
        if state != UNUSED:
            row.shared = row.total = Figure(3, FEWER)
            row.not_shared = row.refused = Figure(2, FEWER)
        made.append(row)
    return made


def test_forty_parties_keep_to_the_width_and_grow_down_the_page():
    diagram = flow_diagram(diagram_id="flows-1", title="Flows", description="Flows.", rows=rows(40))

    for layout, width in ((diagram, WIDTH), (diagram.narrow, NARROW)):
        assert layout.width == width
        assert [item.y for item in layout.rows] == sorted({item.y for item in layout.rows})
        # No row's text runs into the next.
        for item, following in itertools.pairwise(layout.rows):
            assert max(y for y, _ in item.counts) + 6 <= following.y
        for item in layout.rows:
            assert item.name_length * CHARACTER <= width
            for _, line in item.counts:
                assert len(line) * 7.6 <= width, line  # 14 px text, about 7.6 units a character
        assert layout.height >= 40 * 80


def test_each_kind_differs_in_line_and_words_not_only_colour():
    diagram = flow_diagram(diagram_id="flows-1", title="Flows", description="Flows.", rows=rows(3))
    kinds = {(item.badge, item.stroke_width, item.dash) for item in diagram.rows}
    assert kinds == {("Declared", 3, ""), ("Not declared", 6, ""), ("Declared, not used", 3, "8 6")}
    assert [item.emphasised for item in diagram.rows] == [False, True, False]
