#!/usr/bin/env bash
# The lab on this machine, no Azure needed:
#   scripts/lab.sh up     (make lab)          build what is missing, start the
#                          emulator, apply examples/lab, ping both ways, summary
#   scripts/lab.sh down   (make lab-destroy)  destroy the lab, stop the emulator
# Everything it keeps lives in .lab/: the emulator's data directory, pid and
# log, the SSH key pair, the Terraform state and data directory, and env
# (source it to run terraform and peerlab-lab by hand).
set -euo pipefail
# A shell that sourced .lab/env carries the lab's Terraform data directory;
# the tool chain's own terraform runs must not see it.
unset TF_DATA_DIR TF_CLI_ARGS

repo=$(cd "$(dirname "$0")/.." && pwd)
lab="$repo/.lab"
emu_dir="$lab/emulator"
pid_file="$lab/emulator.pid"
emu_log="$lab/emulator.log"
tf_log="$lab/terraform.log"
state="$lab/terraform.tfstate"
example="$repo/examples/lab"
bin="$repo/bin"

step_no=0
steps=7
step() { step_no=$((step_no + 1)); printf '==> [%d/%d] %s\n' "$step_no" "$steps" "$*"; }
note() { printf '    %s\n' "$*"; }
fail() {
  printf '\nmake lab: %s\n' "$1" >&2
  shift
  for line in "$@"; do printf '  %s\n' "$line" >&2; done
  exit 1
}
# show_log FILE: the end of a log, after a failure.
show_log() { printf '\n--- last lines of %s ---\n' "$1" >&2; tail -n 40 "$1" >&2 || true; printf -- '---\n' >&2; }
# show_tf_error: terraform's error messages from its last command, else the
# end of its log.
show_tf_error() {
  local start errors
  start=$(grep -n '^+ terraform' "$tf_log" | tail -n 1 | cut -d: -f1)
  errors=$(tail -n +"${start:-1}" "$tf_log" | sed -n '/Error: /,$p' | head -n 80)
  if [ -z "$errors" ]; then show_log "$tf_log"; return; fi
  printf '\n%s\n' "$errors" >&2
}

emulator_pid() {
  local pid
  [ -f "$pid_file" ] || return 1
  pid=$(cat "$pid_file")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  # A recycled pid is not our emulator.
  case "$(ps -p "$pid" -o args= 2>/dev/null)" in *peerlab-emulator*serve*) ;; *) return 1 ;; esac
  echo "$pid"
}

emulator_healthy() {
  [ -f "$emu_dir/env" ] || return 1
  command -v curl >/dev/null || return 0
  local url
  url=$(sed -n "s/^export PEERLAB_EMULATOR_URL=//p" "$emu_dir/env" | tr -d "'")
  curl -fsS --max-time 5 --cacert "$emu_dir/ca.pem" "$url/_emulator/health" >/dev/null 2>&1
}

stop_emulator() {
  local pid
  pid=$(emulator_pid) || { rm -f "$pid_file"; return 0; }
  kill "$pid"
  # It finishes running operations and saves its state first.
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    fail "the emulator (pid $pid) did not stop within 10 s" "its log: $emu_log"
  fi
  rm -f "$pid_file"
}

start_emulator() {
  local pid
  if pid=$(emulator_pid); then
    if [ "$bin/peerlab-emulator" -nt "$pid_file" ]; then
      note "the emulator was rebuilt: restarting it (its state in $emu_dir/state.json is kept)"
      stop_emulator
    elif emulator_healthy; then
      note "reusing the emulator already running (pid $pid, $(sed -n "s/^export PEERLAB_EMULATOR_URL=//p" "$emu_dir/env"))"
      return 0
    else
      note "the emulator (pid $pid) does not answer: restarting it"
      stop_emulator
    fi
  fi
  mkdir -p "$emu_dir"
  # env is written last, once the server is ready: its appearance is the signal.
  rm -f "$emu_dir/env"
  nohup "$bin/peerlab-emulator" serve --data-dir "$emu_dir" >>"$emu_log" 2>&1 &
  pid=$!
  echo "$pid" >"$pid_file"
  for _ in $(seq 1 300); do
    [ -f "$emu_dir/env" ] && break
    kill -0 "$pid" 2>/dev/null || { show_log "$emu_log"; fail "the emulator exited at start" "its log: $emu_log"; }
    sleep 0.1
  done
  [ -f "$emu_dir/env" ] || { show_log "$emu_log"; fail "the emulator did not get ready within 30 s" "its log: $emu_log"; }
  note "emulator pid $pid, $(sed -n "s/^export PEERLAB_EMULATOR_URL=//p" "$emu_dir/env"), log $emu_log"
}

# write_env: .lab/env, everything a shell needs to use the lab by hand.
write_env() {
  cat >"$lab/env" <<ENV
# Written by scripts/lab.sh: source it to drive the lab by hand.
. "$emu_dir/env"
export TF_CLI_CONFIG_FILE="$bin/terraformrc"
export TF_DATA_DIR="$lab/terraform"
export CHECKPOINT_DISABLE=1
export TF_VAR_ssh_public_key="\$(cat "$lab/id_rsa.pub")"
export PATH="$bin:\$PATH"
ENV
}

# terraform_lab ARGS...: terraform on examples/lab with the lab's settings,
# its output appended to .lab/terraform.log.
terraform_lab() {
  (
    # shellcheck disable=SC1091
    . "$lab/env"
    export TF_IN_AUTOMATION=1
    echo "+ terraform $*" >>"$tf_log"
    terraform -chdir="$example" "$@" -no-color >>"$tf_log" 2>&1
  )
}

up() {
  command -v go >/dev/null || fail "go is not on PATH" "install Go 1.26, then run make lab again"
  command -v terraform >/dev/null || fail "terraform is not on PATH" "install Terraform 1.11, then run make lab again"
  mkdir -p "$lab"
  : >"$tf_log"

  step "tool chain: azurerm in the offline mirror, bin/terraformrc (15 minutes the first time, then instant)"
  "$repo/scripts/tools.sh" | sed 's/^./    &/' || fail "building the tool chain failed (scripts/tools.sh)" "run it alone to see why: scripts/tools.sh"

  step "building the provider, the emulator and peerlab-lab into bin/"
  if ! (cd "$repo" && make --no-print-directory -s build && go build -o "$bin/peerlab-lab" ./cmd/peerlab-lab) >"$lab/build.log" 2>&1; then
    show_log "$lab/build.log"
    fail "the build failed" "its log: $lab/build.log"
  fi

  step "starting the emulator (data in .lab/emulator)"
  start_emulator
  "$bin/peerlab-lab" keygen "$lab/id_rsa" | sed 's/^./    &/'
  write_env

  step "terraform init examples/lab (state in .lab/terraform.tfstate)"
  terraform_lab init -input=false -reconfigure -backend-config="path=$state" ||
    { show_tf_error; fail "terraform init failed" "the whole log: $tf_log"; }

  step "terraform apply examples/lab (about 30 s: azurerm waits 20 s for the resource group)"
  local start=$SECONDS
  terraform_lab apply -input=false -auto-approve ||
    { show_tf_error; fail "terraform apply failed" "the whole log: $tf_log" "the emulator's log: $emu_log"; }
  note "applied in $((SECONDS - start)) s"
  (. "$lab/env" && terraform -chdir="$example" output -json) >"$lab/outputs.json" 2>>"$tf_log" ||
    fail "terraform output failed" "the whole log: $tf_log"

  step "checking the lab through Azure's APIs: peering states, Run Command pings both ways, routes"
  local verdict=0
  (. "$lab/env" && "$bin/peerlab-lab" verify --outputs "$lab/outputs.json") | sed 's/^./    &/' || verdict=1

  step "done"
  cat <<EXPLORE
    Explore the lab (the emulator keeps running):
      source .lab/env      # the emulator's ARM_* + TF_CLI_CONFIG_FILE, TF_DATA_DIR, TF_VAR_ssh_public_key
      terraform -chdir=examples/lab output
      terraform -chdir=examples/lab state list
      terraform -chdir=examples/lab plan -var 'main_address_space=["192.168.0.0/16"]'   # the lab guide's overlap
      peerlab-lab run --group AZ104-VNetPeering-RG --vm MainVM 'ping -c 4 192.168.1.4'
      peerlab-lab routes --group AZ104-VNetPeering-RG --nic MainVM-nic
    .lab/env sources .lab/emulator/env and sets TF_CLI_CONFIG_FILE=bin/terraformrc.
    Tear it down: make lab-destroy
EXPLORE
  [ "$verdict" = 0 ] || fail "the lab is up but a check failed (see above)" "terraform's log: $tf_log" "the emulator's log: $emu_log"
}

down() {
  steps=2
  step "terraform destroy examples/lab"
  if [ -s "$state" ] && [ -f "$lab/env" ] && [ -x "$bin/peerlab-emulator" ]; then
    start_emulator
    write_env
    : >"$tf_log"
    terraform_lab init -input=false -reconfigure -backend-config="path=$state" ||
      { show_tf_error; fail "terraform init failed" "the whole log: $tf_log"; }
    terraform_lab destroy -input=false -auto-approve ||
      { show_tf_error; fail "terraform destroy failed; the emulator is still running" "the whole log: $tf_log"; }
    note "destroyed"
  else
    note "no lab state in .lab/: nothing to destroy"
  fi
  step "stopping the emulator"
  if pid=$(emulator_pid); then
    stop_emulator
    note "stopped pid $pid (its data stays in .lab/emulator; rm -rf .lab to forget everything)"
  else
    rm -f "$pid_file"
    note "no emulator running"
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: scripts/lab.sh up|down   (make lab, make lab-destroy)" >&2; exit 2 ;;
esac
