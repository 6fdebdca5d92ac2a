"""Which published PK model draws a session's concentration curve, route by route.

Source: ``shared/reference/pk.md`` §0 (bottom line). No racemic model is "the" standard;
Clements & Nimmo 1981 reproduces the classic 0.5 mg/kg over 40 min end-of-infusion level best
(177 ng/mL predicted against about 185 ng/mL reported), and with an IM bioavailability of 0.93
it also draws the IM curve. Perez-Ruixo 2021 is the esketamine nasal model; this project's
implementation reproduces its published typical-value Cmax and AUC within about 1 %. The curve
is informational and does not predict antidepressant response.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass

from remission.clinical import registry
from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.pk.builders import PkModel
from remission.clinical.pk.models import CLEMENTS1981, MODELS, PEREZRUIXO2021
from remission.clinical.routes import Route


@dataclass(frozen=True, slots=True)
class RouteModel:
    """The PK model of one route, and why it is the one."""

    route: Route
    model: PkModel
    evidence: Evidence

    @property
    def model_id(self) -> str:
        return self.model.id


RACEMIC_IV_MODEL = Evidence(
    citation="PK reference §0 and §2: Clements & Nimmo 1981 (250 µg/kg set) predicts 177 ng/mL "
    "at the end of 0.5 mg/kg over 40 min, against about 185 ng/mL reported",
    confidence=Confidence.SECONDARY,
    note="no racemic model is a standard; Domino 1984 predicts 240 ng/mL and a fast fall",
)
RACEMIC_IM_MODEL = Evidence(
    citation="PK reference §2: Clements 250 disposition with IM F 0.93 (Clements 1982) and "
    "ka from a quoted Tmax of about 20 min",
    confidence=Confidence.UNCERTAIN,
    note="IM F and Tmax are from secondary sources only",
)
ESKETAMINE_NASAL_MODEL = Evidence(
    citation="PK reference §0 and §1.3: Perez-Ruixo et al., Clin Pharmacokinet 2021;60:501, "
    "reproduced within about 1 % of its Table 4 typical values",
    confidence=Confidence.SECONDARY,
    url="https://doi.org/10.1007/s40262-020-00953-4",
)

ROUTE_MODELS: Mapping[Route, RouteModel] = types.MappingProxyType(
    {
        Route.IV_RACEMIC: RouteModel(Route.IV_RACEMIC, CLEMENTS1981, RACEMIC_IV_MODEL),
        Route.IM_RACEMIC: RouteModel(Route.IM_RACEMIC, CLEMENTS1981, RACEMIC_IM_MODEL),
        Route.ESKETAMINE_NASAL: RouteModel(
            Route.ESKETAMINE_NASAL, PEREZRUIXO2021, ESKETAMINE_NASAL_MODEL
        ),
    }
)

for _route, _choice in ROUTE_MODELS.items():
    if MODELS.get(_choice.model_id) is not _choice.model:
        raise RuntimeError(f"{_route}: model {_choice.model_id} is not a registered PK model")
    if _route.pk_route not in _choice.model.routes:
        raise RuntimeError(f"{_route}: model {_choice.model_id} cannot take {_route.pk_route}")

registry.define_table(
    "pk.route_models",
    title="PK model of each route",
    intro="The published model that draws a session's predicted concentration curve "
    "(informational; it does not predict antidepressant response).",
    columns=("Route", "PK route", "Model"),
    rows=tuple(
        registry.TableRow(
            cells=(f"`{route.value}`", f"`{route.pk_route.value}`", f"`{choice.model_id}`"),
            evidence=(choice.evidence,),
        )
        for route, choice in ROUTE_MODELS.items()
    ),
)


def model_for(route: Route) -> PkModel:
    """The PK model that draws ``route``'s session curve."""
    return ROUTE_MODELS[route].model
