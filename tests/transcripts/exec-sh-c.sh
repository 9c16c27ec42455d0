# `kubectl exec POD -- sh -c SCRIPT`: the script runs in the image's sh (dash in ubuntu), loops and all.
kubectl apply -f static/presets/sd-example.yml
sleep 10
kubectl exec -it jump -n dev -- bash
apt-get update
apt-get install -y curl
exit
kubectl exec jump -n dev -- sh -c 'for i in 1 2 3 4; do curl -s ent:8080; echo; done'
kubectl exec jump -n dev -- bash -c 'n=0; for i in $(seq 1 5); do n=$((n+i)); done; echo sum=$n'
kubectl exec jump -n dev -- sh -c 'nosuch; echo $?'
kubectl exec jump -n dev -- sh -c 'for i in 1; do echo $i'
