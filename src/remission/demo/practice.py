"""The demo clinic's mix and practice: how many patients take each route, how courses go on
after a response, how many drop out (conventions for demo data, not estimates)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from remission.clinical.routes import Route

# --- The demo clinic's mix and practice (conventions for demo data, not estimates) ------------

# Share of the clinic's patients on each route; the rest are in evaluation or intake only.
ROUTE_SHARES: tuple[tuple[Route, float], ...] = (
    (Route.IV_RACEMIC, 0.40),
    (Route.IM_RACEMIC, 0.10),
    (Route.ESKETAMINE_NASAL, 0.15),
)
INDUCTION_PROTOCOLS: Mapping[Route, tuple[tuple[str, float], ...]] = {
    Route.IV_RACEMIC: (("iv-induction-3x-weekly", 0.7), ("iv-induction-2x-weekly", 0.3)),
    Route.IM_RACEMIC: (("im-induction", 1.0),),
    Route.ESKETAMINE_NASAL: (("esketamine-induction", 1.0),),
}
# Responders who go on to maintenance: the esketamine label continues treatment in responders
# (§2.1 [src]); for IV/IM no validated maintenance schedule exists (§1.3 [src]) — half [?].
MAINTENANCE_AFTER_RESPONSE: Mapping[Route, float] = {
    Route.IV_RACEMIC: 0.5,
    Route.IM_RACEMIC: 0.5,
    Route.ESKETAMINE_NASAL: 0.9,
}
# Maintenance: 4 weekly doses (Phillips 2019 IV; esketamine weeks 5–8 [src]), then every two
# weeks (esketamine week 9 on [src]; IV individualised [?]).
MAINTENANCE_WEEKLY_DOSES = 4
MAINTENANCE_INTERVAL_DAYS = 14
# Each maintenance dose ends maintenance with this chance (sustained response, cost, moving
# away) [?]; 60 % of those stops are a pause, the rest a discontinuation [?].
MAINTENANCE_STOP_PER_DOSE = 1 / 26
MAINTENANCE_STOP_AS_PAUSE = 0.6
# Stopped for adverse events during induction: TRANSFORM-2 7 % on esketamine (§2.4 [src]);
# IV/IM 3 % [?].
DROPOUT_FOR_ADVERSE_EVENTS: Mapping[Route, float] = {
    Route.IV_RACEMIC: 0.03,
    Route.IM_RACEMIC: 0.03,
    Route.ESKETAMINE_NASAL: 0.07,
}
# A paused responder whose PHQ-9 shows the response lost restarts maintenance half the time [?].
RESTART_AFTER_RELAPSE = 0.5
FOLLOW_UP_WEEKS = 8
NO_SHOW_RATE, CANCEL_RATE = 0.02, 0.015  # [?]
# Esketamine: 56 mg on day 1, then 56 or 84 mg (label §2.1 [src]); 84 mg for 60 % [?].
ESKETAMINE_LATER_84_MG = 0.6
# Of the patients not treated: intake signed eligible (planning), intake awaiting signature,
# intake signed "needs review" / "not eligible", or only registered [?].
EVALUATION_SPLIT = (("eligible", 0.4), ("unsigned", 0.2), ("review", 0.1), ("none", 0.3))
NOTE_RATE = 0.25
DEMO_CHAIRS = 4
CALENDAR_WEEKDAYS = "mon,tue,wed,thu,fri,sat,sun"  # open daily, so the board is never empty
OPENS, CLOSES = dt.time(8, 0), dt.time(18, 0)
SLOT_STEP_MIN = 15
# Today's sessions aim at these minutes from now, in turn, so some are finished, some under way
# and some to come.
TODAY_TARGETS_MIN = (-100, -60, -30, -5, 20, -150, 50, 90, -200, 130, 170, -250, 210, -300)
CHUNK_SESSIONS = 400

IV_PRODUCT = "Ketamine HCl 50 mg/mL (10 mL vial), diluted to 10 mg/mL"
IM_PRODUCT = "Ketamine HCl 50 mg/mL (10 mL vial)"
ESKETAMINE_PRODUCT = "SPRAVATO 28 mg nasal spray device"
NOTES = (
    "Tolerated the dose well; escort present at discharge.",
    "Patient calm throughout; music and eye mask used.",
    "Discussed the next session and the no-driving rule; patient understands.",
    "Mild anxiety before the dose, settled with reassurance.",
    "Escorted home by partner.",
)
