"""Factories shared by the suite. Synthetic data only."""

import factory
from django.contrib.auth import get_user_model

from network.models import Fund, FundDepartment
from network.regions import region_of

PASSWORD = "Mot-de-passe-de-test-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@test.invalid")
    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"{900 + n % 99:03d}")
    name = factory.LazyAttribute(lambda f: f"CPAM test {f.code}")
    kind = Fund.Kind.CPAM
    notice_emails = factory.LazyAttribute(lambda f: f"vigilance.{f.code}@test.invalid")

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        for department in extracted or []:
            FundDepartment.objects.get_or_create(fund=self, department=department)
        if extracted:  # the region the services derive, as if the fund had been created with it (history too)
            self.region = region_of(list(extracted))
            Fund.objects.filter(pk=self.pk).update(region=self.region)
            Fund.history.filter(id=self.pk).update(region=self.region)
