"""The interpreter's switch interval while two threads share a step (kohesi._gil)."""

from __future__ import annotations

import sys
import threading

import pytest

from kohesi._gil import quick_handoff


def test_quick_handoff_sets_and_restores_the_switch_interval():
    before = sys.getswitchinterval()
    with quick_handoff(1e-4):
        assert sys.getswitchinterval() == pytest.approx(1e-4)
        with quick_handoff(1e-4):  # nested: still short, restored only when the outer block ends
            pass
        assert sys.getswitchinterval() == pytest.approx(1e-4)
    assert sys.getswitchinterval() == pytest.approx(before)


def test_quick_handoff_never_lengthens_and_survives_an_error():
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        with quick_handoff(1e-4):
            assert sys.getswitchinterval() == pytest.approx(1e-5)  # a shorter interval the process chose is kept
        try:
            with quick_handoff():
                raise ValueError
        except ValueError:
            pass
        assert sys.getswitchinterval() == pytest.approx(1e-5)
    finally:
        sys.setswitchinterval(before)


def test_overlapping_blocks_in_threads_restore_the_interval_once_all_end():
    before = sys.getswitchinterval()
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with quick_handoff():
            inside.set()
            leave.wait(5)

    t = threading.Thread(target=other)
    with quick_handoff():
        t.start()
        inside.wait(5)
    assert sys.getswitchinterval() == pytest.approx(1e-4)  # the other thread's block is still open
    leave.set()
    t.join()
    assert sys.getswitchinterval() == pytest.approx(before)
