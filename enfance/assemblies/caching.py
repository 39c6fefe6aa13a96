"""The cache versions of the instances (``core.cache``): one per instance, for its page, and one
for the list of all instances. Every write that changes what they show bumps them after it
commits (``signals``; bulk writes, which send no signal, call ``bump_instance`` themselves)."""

from enfance.core.cache import bump_on_commit, versions

INSTANCES = "instances"


def instance_version_name(instance_id: int) -> str:
    return f"instance:{instance_id}"


def instance_version(instance_id: int) -> str:
    return versions(instance_version_name(instance_id))


def bump_instance(instance_id: int) -> None:
    bump_on_commit(instance_version_name(instance_id), INSTANCES)
