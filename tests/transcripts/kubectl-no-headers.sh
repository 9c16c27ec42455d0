# kubectl get --no-headers: the rows without the header row, each table as wide as its rows,
# and no blank line between kinds (GetOptions.Run adds it only under headers); a watch too.
kubectl apply -f static/presets/sd-example.yml
sleep 20
kubectl get pods -n prod --no-headers
kubectl get pods -n prod --no-headers | wc -l
kubectl get svc,deploy -A --no-headers
kubectl get pods -A -o wide --no-headers
kubectl get nodes --no-headers --show-labels
kubectl get pods -n prod --no-headers=false
kubectl get pods -n prod -w --no-headers
echo done
