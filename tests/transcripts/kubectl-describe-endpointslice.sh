# describe endpointslice (describeEndpointSliceV1 in kubectl pkg/describe): the slices the
# controller writes for ent and manchester, kube-dns's three ports, and a slice written by hand
# whose first endpoint has no conditions (Ready: <unset>) and whose second has no hostname,
# node or zone. Pod names differ per seed, so slices are picked by label.
kubectl apply -f static/presets/sd-example.yml
sleep 10
kubectl get pods -n dev -l app=enterprise
kubectl get endpointslice -n dev
kubectl describe endpointslice -n dev -l kubernetes.io/service-name=ent
kubectl describe endpointslices -n dev -l kubernetes.io/service-name=manchester
kubectl describe endpointslice.discovery.k8s.io -A -l k8s-app=kube-dns
kubectl apply -f slice-by-hand.yml
kubectl get endpointslice -n dev -l kubernetes.io/service-name=ext
kubectl describe endpointslice ext-manual -n dev
kubectl describe endpointslice ext-manual
kubectl describe ep ent -n dev
