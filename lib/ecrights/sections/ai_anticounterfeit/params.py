from __future__ import annotations

from ...params import choice
from ..index_trend.params import IndexWeights


class AiAnticounterfeitParams(IndexWeights):
    weight_grid_points: int = choice("grid size of the weight sensitivity", ge=11, le=1001)
