# Redirections learners type: output to /dev/null (dropped), 2>&1 (one stream here), a missing target (bash's syntax error), a file (not simulated).
kubectl apply -f static/presets/sd-example.yml
sleep 10
kubectl exec -it jump -n dev -- bash
apt-get update > /dev/null
apt-get install -y curl > /dev/null 2>&1
curl -s ent:8080 > /dev/null && echo reachable
curl -s ent:8080 2>&1 | grep -c Hostname
echo a >
echo saved > out.txt
exit
echo hi > /dev/null; echo $?
