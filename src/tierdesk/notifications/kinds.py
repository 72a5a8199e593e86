"""The kinds of notification: each has `notifications/<kind>.subject.txt` and `.body.txt`."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    CASE_PUBLIC_REPLY = "case_public_reply"
    CASE_SOLVED = "case_solved"
    CASE_ASSIGNED = "case_assigned"
    SLA_BREACH = "sla_breach"
    SLA_WARNING = "sla_warning"
    CASE_CREATED_TAM = "case_created_tam"
    SELF_ESCALATION_REQUESTED = "self_escalation_requested"
    SELF_ESCALATION_DECIDED = "self_escalation_decided"
    CASE_CREATED = "case_created"
    INVITATION = "invitation"
    INVITATION_EXISTING_USER = "invitation_existing_user"


class CommunityKind(StrEnum):
    """The forum's kinds (tierdesk.community.services.forum_follow); their templates live there."""

    COMMUNITY_POST = "community_post"
    COMMUNITY_MENTION = "community_mention"


KINDS = frozenset(kind.value for kind in (*Kind, *CommunityKind))

# Kinds written for an address that has no user yet (`outbox_enqueue_address`).
ADDRESS_KINDS = frozenset({Kind.INVITATION.value})

# Kinds whose body holds a secret (a one-time link): the body is blanked once the e-mail is sent.
SECRET_KINDS = frozenset({Kind.INVITATION.value})
