"""The cyclic collector is paused around a recomputation, and always turned on again."""

import gc

import pytest

from parindex.core.gc_pause import paused_collection
from parindex.core.services import results
from tests.builders import make_period


def test_the_collector_is_off_inside_the_block_and_on_after_it():
    assert gc.isenabled()
    with paused_collection():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_in_the_block_turns_the_collector_on_again():
    with pytest.raises(RuntimeError), paused_collection():
        raise RuntimeError("stopped")
    assert gc.isenabled()


def test_a_block_inside_another_leaves_the_collector_off_until_the_outer_one_ends():
    with paused_collection():
        with paused_collection():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


@pytest.mark.django_db
def test_a_recomputation_computes_and_stores_with_the_collector_paused(monkeypatch):
    seen = []
    calculate, store = results.calculate_results, results.store_results

    def calculating(*args, **kwargs):
        seen.append(("calculate", gc.isenabled()))
        return calculate(*args, **kwargs)

    def storing(*args, **kwargs):
        seen.append(("store", gc.isenabled()))
        return store(*args, **kwargs)

    monkeypatch.setattr(results, "calculate_results", calculating)
    monkeypatch.setattr(results, "store_results", storing)
    results.compute_results(make_period())
    assert seen == [("calculate", False), ("store", False)]
    assert gc.isenabled()
