"""Fixtures for the help center: one reader of each kind, and helpers to make content."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import AccountFactory, LicensePlanFactory, UserFactory, VendorUserFactory
from tierdesk.accounts.roles import Role
from tierdesk.knowledge.choices import Visibility
from tierdesk.knowledge.models import Article, ArticleTranslation, Category
from tierdesk.knowledge.services.articles import article_create, translation_save

# Which visibilities each kind of reader may see: the expected matrix, written out by hand so
# that the tests check the rule rather than repeat it.
EXPECTED = {
    "visitor": {Visibility.PUBLIC},
    "free_member": {Visibility.PUBLIC, Visibility.SIGNED_IN},
    "paid_member": {Visibility.PUBLIC, Visibility.SIGNED_IN, Visibility.PAID},
    "inactive_paid_member": {Visibility.PUBLIC},
    "agent": set(Visibility),
    "engineer": set(Visibility),
    "staff_admin": set(Visibility),
}
READERS = list(EXPECTED)


@pytest.fixture
def readers(db) -> dict[str, Any]:
    """One user of each kind, by name."""
    free = AccountFactory(name="Free Co", license_plan=LicensePlanFactory(code="basic"))
    paid = AccountFactory(name="Paid Co", license_plan=LicensePlanFactory(code="pro"))
    return {
        "visitor": AnonymousUser(),
        "free_member": UserFactory(account=free, email="free@example.com"),
        "paid_member": UserFactory(account=paid, email="paid@example.com"),
        "inactive_paid_member": UserFactory(
            account=paid, email="gone@example.com", is_active=False
        ),
        "agent": VendorUserFactory(role=Role.AGENT_L1, email="agent@vendor.example"),
        "engineer": VendorUserFactory(role=Role.ENGINEER, email="eng@vendor.example"),
        "staff_admin": VendorUserFactory(
            role=Role.STAFF_ADMIN, email="admin@vendor.example", is_staff=True
        ),
    }


@pytest.fixture
def author(readers) -> Any:
    return readers["staff_admin"]


@pytest.fixture
def category(db) -> Category:
    return Category.objects.create(
        slug="billing", name_en="Billing", name_it="Fatturazione", position=1, icon="credit-card"
    )


def make_article(
    category: Category,
    *,
    title: str = "How to pay",
    body: str = "Pay **now**.",
    visibility: str = Visibility.PUBLIC,
    language: str = "en",
    publish: bool = True,
    **kwargs: Any,
) -> Article:
    """A published article in one language (a draft when publish=False)."""
    return article_create(
        category=category,
        language=language,
        title=title,
        body=body,
        visibility=visibility,
        publish=publish,
        **kwargs,
    )


def translate(article: Article, language: str, title: str, body: str = "Testo.") -> Any:
    """Add a published translation to an article."""
    from tierdesk.knowledge.services.articles import translation_publish

    translation = translation_save(article=article, language=language, title=title, body=body)
    return translation_publish(translation=translation)


def translation_of(article: Article, language: str = "en") -> ArticleTranslation:
    return article.translations.get(language=language)
