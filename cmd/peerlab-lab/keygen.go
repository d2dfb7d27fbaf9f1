package main

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/crypto/ssh"
)

// keygen writes an RSA key pair for the lab's VMs (Azure accepts RSA keys
// of 2048 bits and more everywhere), unless FILE.pub already exists.
func keygen(args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return usageError{fmt.Errorf("give one file name, such as .lab/id_rsa")}
	}
	priv := args[0]
	pub := priv + ".pub"
	if _, err := os.Stat(pub); err == nil {
		fmt.Fprintf(stdout, "keeping the key pair %s\n", pub)
		return nil
	}
	key, err := rsa.GenerateKey(rand.Reader, 3072)
	if err != nil {
		return err
	}
	block, err := ssh.MarshalPrivateKey(key, "peerlab-lab")
	if err != nil {
		return err
	}
	sshPub, err := ssh.NewPublicKey(&key.PublicKey)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(priv), 0o700); err != nil {
		return err
	}
	if err := os.WriteFile(priv, pem.EncodeToMemory(block), 0o600); err != nil {
		return err
	}
	line := ssh.MarshalAuthorizedKey(sshPub)
	line = append(line[:len(line)-1], " peerlab-lab\n"...)
	if err := os.WriteFile(pub, line, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote the key pair %s and %s\n", priv, pub)
	return nil
}
