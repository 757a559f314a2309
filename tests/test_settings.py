"""Settings come from environment variables declared once and listed in the README."""

from __future__ import annotations

from pathlib import Path

import pytest

from settings import ROOT, SETTINGS, SettingsError, get_settings


def test_defaults():
    s = get_settings({})
    assert (s.host, s.port, s.log_level) == ("127.0.0.1", 8050, "INFO")
    assert s.data_dir == ROOT / "data" / "tables"


def test_environment_overrides(tmp_path):
    s = get_settings({"SPR_PORT": "9000", "SPR_DATA_DIR": str(tmp_path), "SPR_LOG_LEVEL": "debug"})
    assert (s.port, s.data_dir, s.log_level) == (9000, tmp_path, "DEBUG")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SPR_PORT": "eighty"}, "SPR_PORT must be a whole number"),
        ({"SPR_PORT": "70000"}, "between 1 and 65535"),
        ({"SPR_LOG_LEVEL": "LOUD"}, "SPR_LOG_LEVEL must be"),
    ],
)
def test_bad_values_are_named(env, message):
    with pytest.raises(SettingsError, match=message):
        get_settings(env)


def test_every_setting_is_documented_in_the_readme():
    readme = (Path(ROOT) / "README.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.name}`" in readme, setting.name
        assert setting.default in readme, setting.name


def test_workers_setting():
    assert get_settings({}).workers == 0
    assert get_settings({"SPR_WORKERS": "3"}).workers == 3
    with pytest.raises(SettingsError, match="SPR_WORKERS"):
        get_settings({"SPR_WORKERS": "lots"})
    with pytest.raises(SettingsError, match="SPR_WORKERS"):
        get_settings({"SPR_WORKERS": "0"})
