"""The core of `/kudos`: the rules on the people thanked, the daily allowance, storing
(before anything is posted) and claiming a post so it happens once. It calls no Slack API
and imports no Slack SDK. Reading what was typed into a draft, and the rules on its text,
are bot.kudos_text; posting is bot.slack.kudos; what was given is read back in
bot.kudos_report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import func, or_, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.kudos_text import MESSAGE, RECIPIENTS, Draft, KudosRefused
from bot.store.models import Kudos, KudosRecipient, utcnow

# Longer than a post can take with its retries and checks (bot.slack.posting); a post that may
# have gone out keeps its claim this long, and is looked for before it is posted again.
CLAIM_SECONDS = 600
SLACKBOT = "USLACKBOT"


@dataclass(frozen=True)
class Given:
    """A stored kudos."""

    id: int
    giver_id: str
    recipients: tuple[str, ...]
    message: str
    value: str | None
    from_supervisor: bool
    channel: str
    created_at: dt.datetime
    posted_ts: str | None
    # Who last took the right to post it, and when (None: nobody has it now). A claim that
    # ran out rather than being released was held by a post that may have gone out.
    claimed_at: dt.datetime | None = None


def check_people(people: Mapping[str, dict | None]) -> None:
    """Each recipient's users.info `user` (None: Slack does not know them): no bots, no
    deactivated accounts."""
    for user_id, user in people.items():
        who = f"<@{user_id}>"
        if user is None:
            raise KudosRefused(f"I couldn't find {who} in this workspace.", RECIPIENTS)
        if user.get("not_visible"):
            raise KudosRefused(
                f"Slack doesn't let me see {who} (they may be from another organisation, "
                "through Slack Connect), so I can't thank them here.",
                RECIPIENTS,
            )
        if user.get("is_bot") or user.get("is_app_user") or user_id == SLACKBOT:
            raise KudosRefused(
                f"{who} is a bot. Kudos are for the people you work with.", RECIPIENTS
            )
        if user.get("deleted"):
            raise KudosRefused(
                f"{who}'s account has been deactivated, so they can't receive kudos.",
                RECIPIENTS,
            )


# -- storing -------------------------------------------------------------------------------


def aware(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; every one we store is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def local_day(now: dt.datetime, tz: dt.tzinfo) -> dt.date:
    return aware(now).astimezone(tz).date()


class AllowanceUsed(KudosRefused):
    def __init__(self, allowance: int) -> None:
        super().__init__(
            f"You've given your {allowance} kudos for today, thank you! "
            "You can give more tomorrow.",
            MESSAGE,
        )


def given_from(session: Session, rows: Iterable[Kudos]) -> list[Given]:
    rows = list(rows)
    if not rows:
        return []
    recipients: dict[int, list[str]] = {row.id: [] for row in rows}
    found = session.exec(
        select(KudosRecipient)
        .where(col(KudosRecipient.kudos_id).in_(recipients))
        .order_by(KudosRecipient.kudos_id, KudosRecipient.position)
    )
    for recipient in found:
        recipients[recipient.kudos_id].append(recipient.user_id)
    return [
        Given(
            id=row.id,
            giver_id=row.giver_id,
            recipients=tuple(recipients[row.id]),
            message=row.message,
            value=row.value,
            from_supervisor=row.from_supervisor,
            channel=row.channel,
            created_at=aware(row.created_at),
            posted_ts=row.posted_ts,
            claimed_at=aware(row.claimed_at) if row.claimed_at else None,
        )
        for row in rows
    ]


def create_kudos(
    engine: Engine,
    draft: Draft,
    *,
    giver_id: str,
    request_key: str,
    channel: str,
    giver_tz: dt.tzinfo,
    allowance: int,
    from_supervisor: bool = False,
    now: dt.datetime | None = None,
) -> tuple[Given, bool]:
    """Store a checked draft; (the kudos, True) when stored now, (the kudos stored before
    for the same request, False) when Slack sent the request again.

    The new kudos is claimed for posting by the caller at once. Raises AllowanceUsed when
    the giver has given `allowance` kudos today in their own time zone."""
    now = aware(now or utcnow())
    day = local_day(now, giver_tz)
    for _ in range(5):  # each loop lost a race for the key or the day's slot
        with Session(engine) as session:
            earlier = session.exec(select(Kudos).where(Kudos.request_key == request_key)).first()
            if earlier is not None:
                return given_from(session, [earlier])[0], False
            used = session.exec(
                select(func.count())
                .select_from(Kudos)
                .where(Kudos.giver_id == giver_id, Kudos.giver_day == day)
            ).one()
            if used >= allowance:
                raise AllowanceUsed(allowance)
            row = Kudos(
                request_key=request_key,
                giver_id=giver_id,
                value=draft.value,
                message=draft.message,
                from_supervisor=from_supervisor,
                giver_day=day,
                day_slot=used + 1,
                channel=channel,
                created_at=now,
                claimed_at=now,
                attempts=1,
            )
            session.add(row)
            try:
                session.flush()
                for position, user_id in enumerate(draft.recipients):
                    session.add(KudosRecipient(kudos_id=row.id, user_id=user_id, position=position))
                session.commit()
            except IntegrityError:
                session.rollback()
                continue
            session.refresh(row)
            return given_from(session, [row])[0], True
    raise RuntimeError("could not store the kudos: too many kudos at once from one giver")


def get_kudos(engine: Engine, kudos_id: int) -> Given | None:
    with Session(engine) as session:
        row = session.get(Kudos, kudos_id)
        return given_from(session, [row])[0] if row else None


def _postable(now: dt.datetime | None) -> tuple:
    """Not posted, not stopped, and nobody's claim on it still running."""
    expired = aware(now or utcnow()) - dt.timedelta(seconds=CLAIM_SECONDS)
    claim_free = or_(col(Kudos.claimed_at).is_(None), col(Kudos.claimed_at) < expired)
    return col(Kudos.posted_ts).is_(None), col(Kudos.post_stopped).is_(None), claim_free


def pending(engine: Engine, *, now: dt.datetime | None = None) -> list[int]:
    """Kudos stored but not posted, nor stopped, nor being posted by anyone now, oldest
    first."""
    with Session(engine) as session:
        found = session.exec(select(Kudos.id).where(*_postable(now)).order_by(Kudos.id))
        return list(found.all())


def claim(engine: Engine, kudos_id: int, *, now: dt.datetime | None = None) -> bool:
    """Take the right to post `kudos_id`; True for exactly one of several callers. One
    UPDATE, so it holds across processes and machines."""
    now = aware(now or utcnow())
    with engine.begin() as connection:
        result = connection.execute(
            update(Kudos)
            .where(col(Kudos.id) == kudos_id, *_postable(now))
            .values(claimed_at=now, attempts=Kudos.attempts + 1)
        )
    return result.rowcount == 1


def mark_posted(engine: Engine, kudos_id: int, ts: str) -> None:
    _set(engine, kudos_id, posted_ts=ts, claimed_at=None, last_error=None)


def hold(engine: Engine, kudos_id: int, error: str) -> None:
    """A post may or may not have gone out: keep the claim, so the retry pass takes it only
    once the claim has run out, and looks for the post before posting it again."""
    _set(engine, kudos_id, last_error=error[:1000])


def release(engine: Engine, kudos_id: int, error: str) -> None:
    """A post failed: let the next retry pass take it."""
    _set(engine, kudos_id, claimed_at=None, last_error=error[:1000])


def stop(engine: Engine, kudos_id: int, code: str, error: str) -> None:
    """Slack refused the post for a reason that trying again will not change (`code`, its
    error): no retry pass takes it until `resume_stopped`, once someone has fixed it."""
    _set(engine, kudos_id, claimed_at=None, post_stopped=code[:100], last_error=error[:1000])


def resume_stopped(engine: Engine) -> int:
    """Let the retry pass take every kudos whose posting was stopped; how many."""
    with engine.begin() as connection:
        result = connection.execute(
            update(Kudos)
            .where(col(Kudos.posted_ts).is_(None), col(Kudos.post_stopped).is_not(None))
            .values(post_stopped=None, claimed_at=None)
        )
    return result.rowcount


def _set(engine: Engine, kudos_id: int, **values) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(Kudos)
            .where(col(Kudos.id) == kudos_id, col(Kudos.posted_ts).is_(None))
            .values(**values)
        )
