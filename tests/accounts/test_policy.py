"""The separation-of-duties rules over accounts, as plain values."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from remission.accounts import policy
from remission.accounts.roles import Role

clinics = st.frozensets(st.integers(0, 5), min_size=1)


@given(subject=clinics, administered=clinics)
def test_credentials_need_an_admin_of_every_clinic_of_the_person(
    subject: frozenset[int], administered: frozenset[int]
) -> None:
    problems = policy.credential_problems(
        subject_clinics=subject, administered_clinics=administered, instance_admin=False
    )
    assert (problems == []) == (subject <= administered)
    assert not policy.credential_problems(
        subject_clinics=subject, administered_clinics=administered, instance_admin=True
    )


def test_nobody_grants_themselves_a_clinical_role() -> None:
    for role in Role:
        mine = policy.grant_problems(actor_id=1, subject_id=1, role=role)
        assert bool(mine) == (role in policy.CLINICAL_ROLES)
        assert not policy.grant_problems(actor_id=1, subject_id=2, role=role)


def test_only_prescribing_and_director_roles_need_a_directors_approval() -> None:
    assert {r for r in Role if policy.needs_director_approval(r)} == {
        Role.PRESCRIBER,
        Role.MEDICAL_DIRECTOR,
    }


def test_the_approver_is_neither_the_asker_nor_the_person() -> None:
    assert policy.approval_problems(approver_id=1, requester_id=1, subject_id=2)
    assert policy.approval_problems(approver_id=2, requester_id=1, subject_id=2)
    assert not policy.approval_problems(approver_id=3, requester_id=1, subject_id=2)
