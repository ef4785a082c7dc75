#!/usr/bin/env bash
# A one-node Slurm on this machine, for the cluster tests (`test/cluster/`) and for trying `qnn-kd sweep --slurm`
# by hand: installs Debian's slurm-wlm and munge when missing (root), writes a slurm.conf for the local host, and
# starts munged, slurmctld and slurmd without systemd. Idempotent: daemons already running are left alone.
#
#   sudo scripts/slurm-local.sh          # start (or check) the local cluster
#   sudo scripts/slurm-local.sh stop     # stop the daemons
#
# The node offers every CPU of the machine (CPUs=$(nproc)) and all but 1 GiB of its memory; one partition, "local",
# the default. ProctrackType=proctrack/linuxproc, TaskPlugin=task/none and JobAcctGatherType=jobacct_gather/none
# need neither cgroups nor systemd, so the daemons start in a container as root (SlurmUser=root).
set -euo pipefail

if [[ "${1:-start}" == "stop" ]]; then
  pkill -x slurmd || true
  pkill -x slurmctld || true
  pkill -x munged || true
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "slurm-local.sh: run as root (it installs packages and starts daemons)" >&2
  exit 2
fi

if ! command -v slurmctld > /dev/null || ! command -v munged > /dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends slurm-wlm munge > /dev/null ||
    { apt-get update > /dev/null && apt-get install -y --no-install-recommends slurm-wlm munge > /dev/null; }
fi

host=$(hostname -s)
cpus=$(nproc)
mem_mb=$(awk '/MemTotal/ { printf "%d", $2 / 1024 - 1024 }' /proc/meminfo)
conf_dir=/etc/slurm
state=/var/spool/slurmctld
spool=/var/spool/slurmd
logs=/var/log/slurm
mkdir -p "$conf_dir" "$state" "$spool" "$logs" /run/munge /var/lib/munge /var/log/munge /etc/munge

cat > "$conf_dir/slurm.conf" << CONF
ClusterName=qnnkd-local
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$state
SlurmdSpoolDir=$spool
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$logs/slurmctld.log
SlurmdLogFile=$logs/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
MinJobAge=300
NodeName=$host CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

if [[ ! -s /etc/munge/munge.key ]]; then
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
fi
chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge 2> /dev/null || true
chmod 0400 /etc/munge/munge.key
chmod 0700 /etc/munge

pgrep -x munged > /dev/null || runuser -u munge -- munged
pgrep -x slurmctld > /dev/null || slurmctld
pgrep -x slurmd > /dev/null || slurmd

# wait until the node takes jobs
for _ in $(seq 1 60); do
  if sinfo -h -o "%t" 2> /dev/null | grep -qE "^(idle|mix|alloc)"; then
    sinfo
    exit 0
  fi
  sleep 1
done
echo "slurm-local.sh: the node did not come up in 60 s; logs in $logs" >&2
sinfo || true
exit 1
