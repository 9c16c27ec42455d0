# In the ubuntu jump Pod (bash): a loop of curls shows IPVS rr spreading the connections over the ent Pods; grep -c counts, getent ahosts prints glibc's three lines per address. Then the same loop from an alpine Pod with curl (busybox ash, musl).
kubectl apply -f static/presets/sd-example.yml
sleep 10
kubectl exec -it jump -n dev -- bash
apt-get update && apt-get install -y curl
for i in 1 2 3 4; do curl -s ent:8080; done
for i in $(seq 1 6); do curl -s ent:8080; done | grep -c DEV
for i in $(seq 1 4); do curl -s ent:8080; done | grep -n -i HELLO
curl -s ent:8080 | grep -q nomatch || echo "no match, status $?"
curl -s ent:8080 | grep -v Hello; echo $?
getent ahosts ent
getent ahosts ent.prod
getent ahosts 10.96.0.10
getent hosts ent
n=0; while [ $n -lt 3 ]; do n=$((n+1)); sleep 1; done; echo "slept $n"
if curl -s -m 1 nope:8080; then echo up; else echo "down ($?)"; fi
for i in 1 2
do
curl -s ent:8080
done
exit
kubectl run c -it --rm --image=curlimages/curl -n dev -- sh
for i in 1 2 3; do curl -s ent:8080; done
foo
exit
