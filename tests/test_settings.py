"""Settings read from the environment work on a fresh clone."""


def test_migrate_on_a_fresh_clone_with_a_secret_key_creates_the_data_folder(
    migrated_on_a_fresh_clone,
):
    result, data_dir = migrated_on_a_fresh_clone  # the data folder was not there before
    assert result.returncode == 0, result.stderr
    assert (data_dir / "parindex.sqlite3").stat().st_size > 0
    assert not (data_dir / "secret_key").exists()  # the key came from the environment
