#!/bin/bash
# acr-xaccount destroy: takes the acr-xaccount block out of /etc/hosts, keeping every other line as it is.
grep -qx '# BEGIN acr-xaccount' /etc/hosts || exit 0
if acr_xaccount_tmp="$(mktemp)" && sed '/^# BEGIN acr-xaccount$/,/^# END acr-xaccount$/d' /etc/hosts > "$acr_xaccount_tmp"; then
cat "$acr_xaccount_tmp" > /etc/hosts
fi
rm -f "$acr_xaccount_tmp"
