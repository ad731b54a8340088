"""factory_boy factories for the ``cases`` models."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from cases.models import Family, Membership, Person, Role, Tree


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery")


class TreeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tree

    name = factory.Sequence(lambda n: f"Tree {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    tree = factory.SubFactory(TreeFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.VIEWER


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    tree = factory.SubFactory(TreeFactory)
    given_names = factory.Sequence(lambda n: f"Given{n}")
    surname = "Doe"


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family

    tree = factory.SubFactory(TreeFactory)
