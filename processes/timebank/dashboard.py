"""The time bank adds no chart to the dashboard yet."""


def charts(scope, found) -> list:
    return []


def snapshots(year) -> dict:
    return {}
