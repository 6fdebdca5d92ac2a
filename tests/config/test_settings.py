"""Settings from the environment: the secret key, booleans, debug and password hashing."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from remission.config.env import ConfigurationError, env_bool, secret_key


def test_a_generated_secret_key_is_kept_with_0600_permissions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = secret_key(tmp_path)
    assert secret_key(tmp_path) == first
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600
    assert len(first) >= 50


def test_a_malformed_boolean_setting_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBUG", "perhaps")
    with pytest.raises(ConfigurationError, match="DEBUG must be true or false"):
        env_bool("DEBUG")


def test_debug_is_off_by_default() -> None:
    from remission.config import settings

    assert settings.DEBUG is False


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2_in_production_settings() -> None:
    from remission.config import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
