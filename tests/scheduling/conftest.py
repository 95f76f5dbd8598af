"""Markers of the scheduler tests."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "subprocess: starts real `shopfloor scheduler` processes (a few seconds)")
