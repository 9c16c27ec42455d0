# Hand-written endpoints and ConfigMaps as the API server validates them (core validation
# validateEndpointSubsets, validateEndpointAddress, ValidateNonSpecialIP, ValidateConfigMap;
# discovery ValidateEndpointSlice).
kubectl apply -f vd-endpoints.yml
kubectl apply -f vd-slices.yml
kubectl apply -f vd-configmap.yml
kubectl get endpointslices
