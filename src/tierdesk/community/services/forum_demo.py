"""The demo forum, loaded by `tierdesk load_demo`: four categories (phones and meetings, in English
and Italian) and ten threads with replies, some solved. Only what is missing is created, so a
second run changes nothing (a thread is known by its title)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from tierdesk.accounts.models import User
from tierdesk.accounts.roles import Role

from ..models import ForumCategory, Post, Thread
from .forum_posts import reply_create, thread_create
from .forum_votes import solution_accept, vote_cast

CATEGORIES = [
    ("calls-and-numbers", "Calls and numbers", "Call quality, numbers, routing.", "phone", "en"),
    ("meetings", "Meetings and recordings", "Video meetings, recordings, rooms.", "meetings", "en"),
    ("chiamate-e-numeri", "Chiamate e numeri", "Qualità, numeri, instradamento.", "phone", "it"),
    (
        "riunioni",
        "Riunioni e registrazioni",
        "Videoriunioni, registrazioni, sale.",
        "meetings",
        "it",
    ),
]

# (category, title, question, [replies], index of the accepted reply or None, tags)
THREADS: list[tuple[str, str, str, list[str], int | None, list[str]]] = [
    (
        "calls-and-numbers",
        "Calls drop after exactly five minutes",
        "Every outgoing call drops at **5:00**. Our firewall is new.\n\n"
        "```\nSIP/2.0 408 Request Timeout\n```",
        [
            "That is usually the firewall closing the UDP session: raise its SIP timeout "
            "to 1800 s or turn off SIP ALG.",
            "Same here, turning off SIP ALG fixed it.",
        ],
        0,
        ["sip", "firewall"],
    ),
    (
        "calls-and-numbers",
        "How do I port my existing number?",
        "We are moving from another provider. How long does porting take?",
        ["Open a porting request under Numbers > Port in; it takes 5 to 10 working days."],
        0,
        ["porting"],
    ),
    (
        "calls-and-numbers",
        "Voicemail greeting plays twice",
        "Callers hear our greeting two times before the beep. Any idea?",
        [],
        None,
        ["voicemail"],
    ),
    (
        "meetings",
        "Recording does not start in large meetings",
        "With more than 50 people the record button stays grey.",
        [
            "Recording of meetings above 50 people needs the Business plan.",
            "Check the host's role too: co-hosts cannot start recordings.",
        ],
        0,
        ["recordings"],
    ),
    (
        "meetings",
        "Echo in meeting rooms with ceiling microphones",
        "Remote people hear themselves. We use two ceiling microphones.",
        ["Turn on echo cancellation in the room device's audio settings."],
        None,
        ["audio", "rooms"],
    ),
    (
        "chiamate-e-numeri",
        "Le chiamate cadono dopo cinque minuti",
        "Ogni chiamata si interrompe dopo **5 minuti** esatti.",
        [
            "Di solito è il firewall: alza il timeout SIP a 1800 secondi o disattiva il SIP ALG.",
        ],
        0,
        ["sip"],
    ),
    (
        "chiamate-e-numeri",
        "Come inoltro le chiamate al cellulare?",
        "Vorrei ricevere le chiamate dell'ufficio sul cellulare fuori orario.",
        ["Impostazioni > Inoltro: scegli 'fuori orario' e inserisci il numero."],
        0,
        ["inoltro"],
    ),
    (
        "chiamate-e-numeri",
        "Numero verde non raggiungibile dall'estero",
        "Dall'estero il nostro numero verde non risponde. È normale?",
        [],
        None,
        ["numeri"],
    ),
    (
        "riunioni",
        "Registrazione senza audio",
        "Le registrazioni delle riunioni hanno il video ma nessun audio.",
        [
            "Controlla che la registrazione sia nel cloud e non locale.",
            "Aggiorna l'app: la versione 4.2 correggeva proprio questo.",
        ],
        1,
        ["registrazioni"],
    ),
    (
        "riunioni",
        "Sfondo virtuale non disponibile",
        "Non trovo l'opzione per lo sfondo virtuale su Linux.",
        ["Su Linux serve la versione 4.3 o successiva."],
        None,
        ["linux"],
    ),
]


def _people() -> tuple[list[User], list[User]]:
    customers = list(
        User.objects.filter(role__in=[Role.MEMBER, Role.ACCOUNT_ADMIN], is_active=True)
        .exclude(Q(first_name="") | Q(last_name=""))
        .order_by("id")[:8]
    )
    staff = list(User.objects.filter(role__in=[Role.AGENT_L1, Role.AGENT_L2]).order_by("id")[:2])
    return customers, staff


def demo_forum_load() -> int:
    """Create the demo categories and threads that are missing; returns how many threads."""
    categories = {}
    for position, (slug, name, description, area, language) in enumerate(CATEGORIES):
        categories[slug], _created = ForumCategory.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "product_area": area,
                "language": language,
                "position": position,
            },
        )
    customers, staff = _people()
    if len(customers) < 3:
        return 0
    made = 0
    start = timezone.now() - timedelta(days=len(THREADS) + 1)
    for number, (slug, title, question, replies, accepted, tags) in enumerate(THREADS):
        if Thread.objects.filter(title=title).exists():
            continue
        asker = customers[number % len(customers)]
        at = start + timedelta(days=number)
        thread = thread_create(
            actor=asker, category=categories[slug], title=title, body=question, tags=tags, now=at
        )
        posts: list[Post] = []
        for index, body in enumerate(replies):
            # The first answer of every other thread comes from the vendor's staff.
            author = (
                staff[index % len(staff)]
                if staff and index == 0 and number % 2 == 0
                else customers[(number + index + 1) % len(customers)]
            )
            posts.append(
                reply_create(
                    actor=author, thread=thread, body=body, now=at + timedelta(hours=index + 1)
                )
            )
        if accepted is not None and posts:
            solution_accept(actor=asker, thread=thread, post=posts[accepted])
            voter = customers[(number + 3) % len(customers)]
            if voter.pk != posts[accepted].author_id:
                vote_cast(actor=voter, post=posts[accepted], value=1)
        made += 1
    return made
