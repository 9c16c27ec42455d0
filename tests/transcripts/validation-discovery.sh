# Hand-written endpoints and ConfigMaps as the API server validates them (core validation
# validateEndpointSubsets, validateEndpointAddress, ValidateNonSpecialIP, ValidateConfigMap;
# discovery ValidateEndpointSlice).
kubectl apply -f vd-endpoints.yml
kubectl apply -f vd-slices.yml
kubectl apply -f vd-configmap.yml
kubectl get endpointslices
# kubectl create configmap checks literal keys itself (addKeyFromLiteralToConfigMap).
kubectl create configmap literal --from-literal="bad key=v"
kubectl create configmap literal --from-literal=..a=1
kubectl create configmap literal --from-literal=app.conf=ok
