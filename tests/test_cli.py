"""The command line's own behaviour (commands of other issues are tested beside them)."""

from click.testing import CliRunner

from graph.core.settings import SETTINGS
from service.cli import main


def test_settings_lists_every_setting_with_its_environment_variable() -> None:
    result = CliRunner().invoke(main, ["settings"])
    assert result.exit_code == 0
    for s in SETTINGS:
        assert f"`TWINKG_{s.name}`" in result.output
