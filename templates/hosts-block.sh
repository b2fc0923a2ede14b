# >>> acr-xaccount hosts block (managed by acr-xaccount; re-runs replace this section) >>>
# Writes the registry's private address into /etc/hosts between the BEGIN/END lines, keeping every other line.
if acr_xaccount_tmp="$(mktemp)" && sed '/^# BEGIN acr-xaccount$/,/^# END acr-xaccount$/d' /etc/hosts > "$acr_xaccount_tmp"; then
cat >> "$acr_xaccount_tmp" <<'ACR_XACCOUNT_HOSTS'
# BEGIN acr-xaccount
{{entries}}
# END acr-xaccount
ACR_XACCOUNT_HOSTS
cat "$acr_xaccount_tmp" > /etc/hosts
fi
rm -f "$acr_xaccount_tmp"
unset acr_xaccount_tmp
# <<< acr-xaccount hosts block <<<
