// grpc-go peer for `make bench-rpc`: serves hodei.bench.v1.Echo (Benchmarks/RPC/Protos)
// with a default grpc.NewServer() on 127.0.0.1:PORT. Built offline in GOPATH mode
// against Debian's golang-google-grpc-dev by Benchmarks/RPC/build-peers.sh.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"

	"google.golang.org/grpc"

	pb "hodeibench/echopb"
)

type echoServer struct {
	pb.UnimplementedEchoServer
}

func (echoServer) Unary(_ context.Context, req *pb.EchoRequest) (*pb.EchoResponse, error) {
	return &pb.EchoResponse{Payload: req.Payload}, nil
}

func (echoServer) PingPong(stream pb.Echo_PingPongServer) error {
	for {
		req, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := stream.Send(&pb.EchoResponse{Payload: req.Payload}); err != nil {
			return err
		}
	}
}

func main() {
	port := flag.Int("port", 50051, "TCP port on 127.0.0.1")
	flag.Parse()

	lis, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *port))
	if err != nil {
		fmt.Fprintln(os.Stderr, "listen:", err)
		os.Exit(1)
	}
	s := grpc.NewServer()
	pb.RegisterEchoServer(s, echoServer{})

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-sigs
		s.Stop()
	}()

	// Stdout is unbuffered in Go: the line is out as soon as Println returns.
	fmt.Printf("listening on %d\n", lis.Addr().(*net.TCPAddr).Port)
	if err := s.Serve(lis); err != nil && err != grpc.ErrServerStopped {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}
