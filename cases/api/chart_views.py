"""The charts through the API: the same branches, in the same JSON, as the chart page reads."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api.base import TreeAPIView
from cases.errors import InvalidInput
from cases.selectors.chart_branches import ChartKind, chart_branch, chart_generations, chart_tree
from cases.selectors.chart_json import chart_person_json

_PERSON = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=(
        "The person with `parents` (ancestors) and `families` (partner, children and `generated`: the family's "
        "synthetic candidates) nested; `null` where the branch is not loaded, `more_parents`/`more_children` "
        "where it continues."
    ),
)


def _whole(request: Request, key: str, *, required: bool = False) -> int | None:
    value = request.query_params.get(key, "")
    if not value and not required:
        return None
    try:
        return int(value)
    except ValueError as error:
        raise InvalidInput(f"{key} must be a whole number.") from error


class ChartView(TreeAPIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("focus", int, required=True),
            OpenApiParameter(
                "kind",
                str,
                enum=[kind.value for kind in ChartKind],
                description="hourglass (default), pedigree, descendants or fan",
            ),
            OpenApiParameter("up", int, description="ancestor generations (0-6; the kind's default)"),
            OpenApiParameter("down", int, description="descendant generations (0-6; the kind's default)"),
        ],
        responses={200: _PERSON},
    )
    def get(self, request: Request, tree_id: int) -> Response:
        try:
            kind = ChartKind(request.query_params.get("kind") or ChartKind.HOURGLASS)
        except ValueError as error:
            raise InvalidInput("kind must be hourglass, pedigree, descendants or fan.") from error
        focus = _whole(request, "focus", required=True)
        up, down = chart_generations(kind=kind, up=_whole(request, "up"), down=_whole(request, "down"))
        root = chart_tree(access=self.access(), focus_id=focus, up=up, down=down)
        return Response(
            {"kind": kind.value, "up": up, "down": down, "root": chart_person_json(tree_id=tree_id, branch=root)}
        )


class ChartBranchView(TreeAPIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("person", int, required=True),
            OpenApiParameter("direction", str, required=True, enum=["up", "down"]),
            OpenApiParameter("generations", int, description="1-3, default 2"),
        ],
        responses={200: _PERSON},
    )
    def get(self, request: Request, tree_id: int) -> Response:
        direction = request.query_params.get("direction", "")
        if direction not in ("up", "down"):
            raise InvalidInput("direction must be up or down.")
        generations = _whole(request, "generations")
        branch = chart_branch(
            access=self.access(),
            person_id=_whole(request, "person", required=True),
            direction=direction,
            generations=2 if generations is None else generations,
        )
        return Response({"person": chart_person_json(tree_id=tree_id, branch=branch)})
