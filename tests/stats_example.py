"""The example log of the README's screenshot: twelve weeks of a small team, made
through the case log's own API (so every row is as claimkit writes it).

Random but seeded: the same figures every time (only the case ids, drawn from
os.urandom, differ). About 90 cases: four scenarios, three agents, replies
from minutes to a day, promised calls mostly kept, a few threats, and some
cases still open on the Friday the report is made.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from case_logs import APOLOGY, CALENDAR, TOKYO
from stats_log import THREAT

from claimkit.cases.store import CaseLog, Complaint

AS_OF = datetime(2026, 11, 27, 16, 0, tzinfo=TOKYO)
WEEKS = 12
SCENARIOS = (("apology", 5), ("product-defect", 3), ("progress-update", 2), ("threat", 1))
AGENTS = ("佐藤", "鈴木", "高橋")


def build_example(log: CaseLog, seed: int = 19) -> int:
    """The cases; how many."""
    rng = random.Random(seed)
    first_monday = (AS_OF - timedelta(weeks=WEEKS - 1, days=AS_OF.weekday())).date()
    count = 0
    for week in range(WEEKS):
        if week == 5:
            continue  # the week of the office move: nothing logged
        for _ in range(rng.randint(4, 12)):
            day = first_monday + timedelta(weeks=week, days=rng.randrange(5))
            received = datetime(day.year, day.month, day.day, rng.randrange(9, 18), 0, tzinfo=TOKYO)
            received += timedelta(minutes=rng.randrange(60))
            if received >= AS_OF - timedelta(hours=1):
                continue
            _case(log, rng, received)
            count += 1
    return count


def _case(log: CaseLog, rng: random.Random, received: datetime) -> None:
    scenario = rng.choices([s for s, _ in SCENARIOS], [w for _, w in SCENARIOS])[0]
    agent = rng.choice(AGENTS)
    threat = scenario == "threat"
    steps = THREAT if threat else APOLOGY
    reply = received + timedelta(minutes=int(rng.lognormvariate(3.6, 1.0)) + 3)
    call = CALENDAR.add_business_hours(reply, 4)
    values = {} if threat else {"callback_at": call.astimezone(TOKYO).strftime("%Y-%m-%d %H:%M")}
    case_id = log.open_case(
        scenario=scenario,
        lang="ja",
        agent=agent,
        steps=steps,
        values=values,
        complaint=Complaint(received_at=received),
        at=received,
    )
    if reply >= AS_OF:
        return
    if threat:
        log.step_done(case_id, "written-reply", agent=agent, steps=steps, at=reply)
        for _ in range(rng.randint(1, 4)):
            log.add_entry(
                case_id, kind="exchange", agent=agent, minutes=rng.randint(3, 9), at=reply
            )
        return
    log.step_done(case_id, "first-reply", agent=agent, steps=steps, at=reply)
    log.step_done(case_id, "report", agent=agent, steps=steps, at=reply + timedelta(minutes=5))
    made = call + timedelta(minutes=rng.choice((-90, -30, -10, 0, 0, 5, 45)))
    if made >= AS_OF:
        return
    log.step_done(case_id, "call", agent=agent, steps=steps, at=made)
    closed = made + timedelta(days=rng.randint(1, 9), hours=rng.randint(0, 6))
    if closed < AS_OF - timedelta(days=2):
        log.close_case(case_id, agent=agent, at=closed)
