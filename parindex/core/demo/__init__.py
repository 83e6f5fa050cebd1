"""Building the demo province (``manage.py loaddemo``).

Every total is produced by the scoring engine from criterion-level scores: for each unit and year
the builder chooses leaf scores (among each leaf's choices where it has them) whose sum, with the
bonus and deduction items, is the target figure; ``compute_results`` then computes the index.
Loading twice changes nothing.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from parindex.core import clock
from parindex.core.demo import data, reorg
from parindex.core.demo.scores import insert_scores, score_row
from parindex.core.models import (
    Adjustment,
    AdjustmentKind,
    AdjustmentStatus,
    Assessment,
    AssessmentStatus,
    Assignment,
    Criterion,
    GradeBand,
    Lineage,
    Method,
    Notification,
    NotificationKind,
    Period,
    PeriodGroup,
    PeriodStatus,
    Role,
    Unit,
    UnitGroup,
    User,
)
from parindex.core.services import audit
from parindex.core.services.criteria import load_criteria_set
from parindex.core.services.results import finalise_period, publish_results

CRITERIA_DIR = Path(settings.BASE_DIR) / "fixtures" / "criteria"
CRITERIA_FILE = CRITERIA_DIR / "hanoi-8-noi-dung.json"  # departments, agencies, districts
COMMUNE_CRITERIA_FILE = CRITERIA_DIR / "xa-phuong-2025.json"  # wards, communes, special zone
COMMUNE_GROUPS = ("PHUONG", "XA")
CENT = Decimal("0.01")
ZERO = Decimal("0")
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def load_demo(*, out=None) -> bool:
    """Load the demo province; return False when it was already there (nothing changed)."""
    say = out or (lambda message: None)
    before = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    with transaction.atomic():
        sets = _criteria_sets()
        groups = _load_units()
        loaded = _load_accounts(say)
        for year in data.PAST_YEARS:
            if Period.objects.filter(year=year).exists():
                say(f"Kỳ đánh giá {year} đã có, giữ nguyên.")
                continue
            _load_year(year, sets, groups)
            say(f"Đã tạo kỳ đánh giá {year} và công bố kết quả.")
            loaded = True
        loaded = _open_current_period(sets, groups, say) or loaded
        loaded = _add_team(say) or loaded
        if loaded:
            audit.record("demo.loaded", message="loaddemo")
    # Rebuilding past years is not news: the notices their publication wrote (on commit, just
    # now) are taken back, so nobody's inbox opens on "results of 2021 published".
    Notification.objects.filter(pk__gt=before, kind=NotificationKind.GROUP_PUBLISHED).delete()
    return loaded


def _criteria_sets() -> dict[str, object]:
    """Return group code → criteria set: the communes' set for wards and communes."""
    departments, _changed = load_criteria_set(json.loads(CRITERIA_FILE.read_text("utf-8")))
    communes, _changed = load_criteria_set(json.loads(COMMUNE_CRITERIA_FILE.read_text("utf-8")))
    return {
        code: communes if code in COMMUNE_GROUPS else departments for code, _n, _r in data.GROUPS
    }


def _load_units() -> dict[str, UnitGroup]:
    """Create the groups and every unit of the demo, 2021 to now, with the dates each exists
    and its lineage (``reorg.py``); units already there are left as they are."""
    groups = {}
    for order, (code, name, ranked) in enumerate(data.GROUPS, start=1):
        groups[code], _ = UnitGroup.objects.get_or_create(
            code=code, defaults={"name": name, "ranked": ranked, "order": order}
        )
    units = reorg.demo_units()
    existing = set(
        Unit.objects.filter(code__in=[u.code for u in units]).values_list("code", flat=True)
    )
    Unit.objects.bulk_create(
        Unit(
            code=u.code,
            name=u.name,
            short_name=u.short_name,
            group=groups[u.group],
            valid_from=u.valid_from,
            valid_to=u.valid_to,
        )
        for u in units
        if u.code not in existing
    )
    ids = dict(Unit.objects.filter(code__in=[u.code for u in units]).values_list("code", "pk"))
    Lineage.objects.bulk_create(
        [
            Lineage(
                successor_id=ids[u.code],
                predecessor_id=ids[code],
                share=share,
                since=u.valid_from,
            )
            for u in units
            if u.code not in existing
            for code, share in u.parts
        ]
    )
    return groups


def _load_accounts(say) -> bool:
    """Create the demo accounts (password ``demo12345``) that do not exist yet."""
    created_any = False
    for username, full_name, role, unit_code, email in data.ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        user = User(
            username=username,
            email=email,
            role=role,
            unit=Unit.objects.get(code=unit_code) if unit_code else None,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        user.full_name = full_name  # stored họ-first, split at the last word
        user.set_password(data.DEMO_PASSWORD)
        user.save()
        created_any = True
    if created_any:
        say(f"Đã tạo {len(data.ACCOUNTS)} tài khoản mẫu (mật khẩu {data.DEMO_PASSWORD}).")
    return created_any


def _add_groups(period: Period, sets: dict, groups: dict[str, UnitGroup], codes) -> None:
    """Add the groups ``codes`` to ``period``, each with its criteria set and grade bands."""
    for code in codes:
        group = groups[code]
        PeriodGroup.objects.create(
            period=period, group=group, criteria_set=sets[code], ranked=group.ranked
        )
        GradeBand.objects.bulk_create(
            GradeBand(period=period, group=group, label=label, lower_bound=bound, color=color)
            for label, bound, color in data.BANDS
        )


def _open_current_period(sets, groups: dict[str, UnitGroup], say) -> bool:
    """Open this year's period for the units that exist today, self-assessment window open
    for six weeks from today."""
    today = clock.today()
    if Period.objects.filter(year=today.year).exists():
        return False
    period = Period.objects.create(
        year=today.year,
        name=f"Chỉ số CCHC năm {today.year}",
        status=PeriodStatus.OPEN,
        self_assessment_deadline=today + timedelta(weeks=6),
        explanation_deadline=today + timedelta(weeks=10),
        appraisal_deadline=today + timedelta(weeks=14),
        notes=data.CURRENT_PERIOD_NOTE,
    )
    units = list(Unit.objects.existing_on(today).filter(group__in=groups.values()))
    _add_groups(period, sets, groups, _codes_of(units, groups))
    Assessment.objects.bulk_create(Assessment(period=period, unit=u) for u in units)
    say(
        f"Đã mở kỳ đánh giá {today.year}: tự đánh giá đến hết ngày "
        f"{period.self_assessment_deadline:%d/%m/%Y}."
    )
    return True


def _add_team(say) -> bool:
    """Give this year's open period its small appraisal team (``data.TEAM``) unless it has
    one: each reviewer on the criterion of that code in every set of the period."""
    period = Period.objects.filter(year=clock.today().year, status=PeriodStatus.OPEN).first()
    if period is None or Assignment.objects.filter(period=period).exists():
        return False
    for username, code in data.TEAM:
        reviewer = User.objects.get(username=username)
        Assignment.objects.bulk_create(
            Assignment(period=period, reviewer=reviewer, criterion=criterion)
            for criterion in Criterion.objects.for_period(period).filter(code=code)
        )
    say("Đã phân công tổ thẩm định: thamdinh.tuphap thẩm định nội dung 2 của mọi đơn vị.")
    return True


def _codes_of(units, groups: dict[str, UnitGroup]) -> list[str]:
    """The codes of the groups ``units`` belong to, in the groups' order."""
    present = {u.group_id for u in units}
    return [code for code, group in groups.items() if group.pk in present]


def _targets(year: int) -> dict[str, Decimal]:
    """Return unit code → index for a year: 2022 as listed (its published figures exact),
    other years seeded illustrative figures: near a unit's 2022 index where it has one."""
    listed = {code: index for units in data.UNITS.values() for code, _n, _s, index, _p in units}
    if year == 2022:
        return listed
    if year in (2021, 2022):
        codes = list(listed)
    else:
        # The units that exist at the end of the year (loaded with their dates before any year).
        codes = Unit.objects.existing_on(date(year, 12, 31)).values_list("code", flat=True)
    targets = {}
    for code in codes:
        rng = random.Random(f"{code}-{year}")
        if code in listed:
            delta = Decimal(rng.randint(-250, 300)) / 100
            targets[code] = min(max(listed[code] - delta, Decimal("80.50")), Decimal("97.20"))
        else:
            targets[code] = Decimal(rng.randint(8200, 9700)) / 100
    return targets


def _load_year(year: int, sets: dict, groups: dict[str, UnitGroup]) -> None:
    period = Period.objects.create(
        year=year,
        name=f"Chỉ số CCHC năm {year}",
        status=PeriodStatus.APPRAISING,
        self_assessment_deadline=date(year + 1, 1, 15),
        explanation_deadline=date(year + 1, 2, 10),
        appraisal_deadline=date(year + 1, 3, 15),
        notes=data.PERIOD_NOTES[year],
    )
    targets = _targets(year)
    units = list(Unit.objects.filter(code__in=targets).select_related("group").order_by("code"))
    _add_groups(period, sets, groups, _codes_of(units, groups))
    leaves = {
        s.pk: list(Criterion.objects.filter(criteria_set=s).leaves()) for s in set(sets.values())
    }
    submitted = datetime.combine(date(year + 1, 1, 10), time(16, 30), tzinfo=TZ)
    assessments = Assessment.objects.bulk_create(
        Assessment(period=period, unit=u, status=AssessmentStatus.APPRAISED, submitted_at=submitted)
        for u in units
    )
    now = clock.now()
    entries, adjustments = [], []
    for assessment in assessments:
        rng = random.Random(f"{assessment.unit.code}-{year}")
        unit_entries, unit_adjustments = _unit_scores(
            assessment,
            leaves[sets[assessment.unit.group.code].pk],
            targets[assessment.unit.code],
            rng,
            now,
        )
        entries += unit_entries
        adjustments += unit_adjustments
    insert_scores(entries, period, now)  # with their history rows, as the ORM would write
    Adjustment.objects.bulk_create(adjustments)
    finalise_period(period)
    publish_results(period)


def _unit_scores(assessment, leaves, target: Decimal, rng: random.Random, now):
    """Return score rows (``insert_scores``) and adjustments whose total is exactly ``target``
    points of 100."""
    self_leaves = [c for c in leaves if c.method == Method.SELF]
    survey_leaves = [c for c in leaves if c.method == Method.SURVEY]
    adjustments = []
    bonus = deduction = ZERO
    if rng.random() < 0.35:
        category = rng.choice([c for c in leaves if c.method == Method.DEDUCTION])
        deduction = min(category.max_points, Decimal(rng.choice(["0.25", "0.5", "0.75"])))
        adjustments.append(_adjustment(assessment, AdjustmentKind.DEDUCTION, category, deduction))
    if rng.random() < 0.2 and target < Decimal("97"):
        category = rng.choice([c for c in leaves if c.method == Method.BONUS])
        bonus = min(category.max_points, Decimal("0.5"))
        adjustments.append(_adjustment(assessment, AdjustmentKind.BONUS, category, bonus))
    base = target - bonus + deduction  # points the leaves must carry
    self_max = sum((c.max_points for c in self_leaves), ZERO)
    survey_max = sum((c.max_points for c in survey_leaves), ZERO)
    wanted_self_loss = ((self_max + survey_max - base) * Decimal(rng.uniform(0.45, 0.7))).quantize(
        CENT, rounding=ROUND_DOWN
    )
    appraised, claimed = _lower_self_scores(self_leaves, wanted_self_loss, rng)
    survey_points = base - sum(appraised.values(), ZERO)
    survey = _spread(survey_points, survey_leaves, rng)
    entries = []
    for leaf in self_leaves:
        differs = claimed[leaf.pk] != appraised[leaf.pk]
        entries.append(
            score_row(
                assessment.pk,
                leaf.pk,
                now,
                self_points=claimed[leaf.pk],
                appraised_points=appraised[leaf.pk],
                appraisal_note=rng.choice(data.APPRAISAL_REASONS) if differs else "",
            )
        )
    for leaf in survey_leaves:
        entries.append(score_row(assessment.pk, leaf.pk, now, survey_points=survey[leaf.pk]))
    return entries, adjustments


def _adjustment(assessment, kind, category, amount):
    return Adjustment(
        assessment=assessment,
        kind=kind,
        category=category,
        amount=amount,
        reason=category.title,
        status=AdjustmentStatus.APPROVED,
        decision_note="Dữ liệu mẫu.",
    )


def _lower_self_scores(leaves, wanted_loss: Decimal, rng: random.Random):
    """Lower some self-assessed leaves (to a lower choice where there are choices) by at most
    ``wanted_loss`` in all; return the appraised and the claimed points per leaf."""
    appraised = {c.pk: c.max_points for c in leaves}
    claimed = dict(appraised)
    loss = ZERO
    order = leaves[:]
    rng.shuffle(order)
    for leaf in order:
        room = wanted_loss - loss
        if room <= ZERO:
            break
        options = sorted({p for _label, p in leaf.option_points()}, reverse=True)
        lower = [p for p in options if p < leaf.max_points and leaf.max_points - p <= room]
        if options and lower:
            value = rng.choice(lower)
        elif not options:
            value = leaf.max_points - min(room, leaf.max_points / 2).quantize(
                CENT, rounding=ROUND_DOWN
            )
        else:
            continue
        loss += leaf.max_points - value
        appraised[leaf.pk] = value
        if rng.random() < 0.5:
            claimed[leaf.pk] = value
    return appraised, claimed


def _spread(amount: Decimal, leaves, rng: random.Random) -> dict[int, Decimal]:
    """Split ``amount`` over ``leaves`` in hundredths, each within 0..its maximum."""
    total_max = sum((c.max_points for c in leaves), ZERO)
    loss = total_max - amount
    weights = {c.pk: Decimal(rng.uniform(0.3, 1.0)) * c.max_points for c in leaves}
    weight_sum = sum(weights.values(), ZERO)
    losses = {
        c.pk: min(c.max_points, (loss * weights[c.pk] / weight_sum).quantize(CENT, ROUND_DOWN))
        for c in leaves
    }
    remainder = loss - sum(losses.values(), ZERO)
    for c in leaves:
        if remainder <= ZERO:
            break
        extra = min(c.max_points - losses[c.pk], remainder)
        losses[c.pk] += extra
        remainder -= extra
    return {c.pk: c.max_points - losses[c.pk] for c in leaves}
