# Building IPVS services by hand on a node, as a learner tries schedulers.
minikube ssh
sudo ipvsadm -A -t 10.0.0.100:80 -s wrr
sudo ipvsadm -a -t 10.0.0.100:80 -r 10.244.0.20:8080 -m -w 2
sudo ipvsadm -a -t 10.0.0.100:80 -r 10.244.0.21:8080 -m -w 3
sudo ipvsadm -a -t 10.0.0.100:80 -r 10.244.0.22:8080 -m -w 4
sudo ipvsadm -a -t 10.0.0.100:80 -r 10.244.0.22:8080 -m -w 4
sudo ipvsadm -A -t 10.0.0.100:80
sudo ipvsadm -Ln -t 10.0.0.100:80
sudo ipvsadm -e -t 10.0.0.100:80 -r 10.244.0.21:8080 -m -w 0
sudo ipvsadm -E -t 10.0.0.100:80 -s sh -p 600
sudo ipvsadm -L -t 10.0.0.100:80
sudo ipvsadm -Sn
sudo ipvsadm -a -t 10.0.0.100:80 -r 10.244.0.23 -w 70000
sudo ipvsadm -a -t 10.0.0.101:80 -r 10.244.0.23
sudo ipvsadm -d -t 10.0.0.100:80 -r 10.244.0.99:8080
sudo ipvsadm -E -t 10.0.0.100:80 -s nosuch
sudo ipvsadm -a -t 10.0.0.100:80
sudo ipvsadm -d -t 10.0.0.100:80 -r 10.244.0.20:8080
sudo ipvsadm -D -t 10.0.0.100:80
sudo ipvsadm -D -t 10.0.0.100:80
sudo ipvsadm -Ln -t 10.0.0.100:80
ip route
exit
