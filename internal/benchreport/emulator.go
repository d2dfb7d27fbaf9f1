package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
)

// emulatorBench measures the emulator on loopback: start-up, peering GET
// and PUT throughput, and memory, state size and reload time with 10,000
// resources.
func emulatorBench(r *report) error {
	dir, err := os.MkdirTemp("", "peerlab-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	// Start-up: the first start creates keys and the CA; later ones load them.
	var starts []time.Duration
	for i := range 6 {
		begin := time.Now()
		e, err := emulator.Start(emulator.Options{DataDir: dir})
		if err != nil {
			return err
		}
		d := time.Since(begin)
		e.Close()
		if i > 0 {
			starts = append(starts, d)
		}
	}
	r.add("emulator", "start-up (empty state, median of 5)", fmtDur(median(starts)), "")

	e, err := emulator.Start(emulator.Options{DataDir: dir})
	if err != nil {
		return err
	}
	defer e.Close()
	c := &client{e: e, http: e.HTTPClient()}
	if err := c.login(); err != nil {
		return err
	}
	sub := e.Credentials().SubscriptionID
	rg := "/subscriptions/" + sub + "/resourceGroups/bench"
	if err := c.must(http.MethodPut, rg+"?api-version=2023-07-01", `{"location":"eastus"}`); err != nil {
		return err
	}
	vnet := func(name, cidr string) error {
		return c.must(http.MethodPut, rg+"/providers/Microsoft.Network/virtualNetworks/"+name+"?api-version=2024-05-01",
			`{"location":"eastus","properties":{"addressSpace":{"addressPrefixes":["`+cidr+`"]}}}`)
	}
	if err := vnet("hub", "10.0.0.0/16"); err != nil {
		return err
	}
	if err := vnet("spoke", "10.1.0.0/16"); err != nil {
		return err
	}
	peering := rg + "/providers/Microsoft.Network/virtualNetworks/hub/virtualNetworkPeerings/hub-to-spoke?api-version=2024-05-01"
	body := `{"properties":{"remoteVirtualNetwork":{"id":"` + rg + `/providers/Microsoft.Network/virtualNetworks/spoke"},"allowVirtualNetworkAccess":true}}`
	if err := c.must(http.MethodPut, peering, body); err != nil {
		return err
	}

	get := c.throughput(http.MethodGet, peering, "", 16, 3*time.Second)
	r.add("emulator", "peering GET, 16 clients over HTTPS", fmt.Sprintf("%.0f req/s", get), "")
	put := c.throughput(http.MethodPut, peering, body, 16, 3*time.Second)
	r.add("emulator", "peering PUT (update), 16 clients over HTTPS", fmt.Sprintf("%.0f req/s", put), "")

	// 10,000 resources: 100 VNets with 99 subnets each, loaded through ARM.
	begin := time.Now()
	total, err := loadResources(c, rg)
	if err != nil {
		return err
	}
	loadTime := time.Since(begin)
	r.add("emulator", fmt.Sprintf("load %d resources through ARM (PUT, 16 clients)", total), fmtDur(loadTime), fmt.Sprintf("%.0f PUT/s", float64(total)/loadTime.Seconds()))
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	r.add("emulator", fmt.Sprintf("heap in use with %d resources", e.Store().Len()), fmt.Sprintf("%.1f MiB", float64(ms.HeapInuse)/(1<<20)), "whole process, after GC")
	get10k := c.throughput(http.MethodGet, peering, "", 16, 2*time.Second)
	r.add("emulator", "peering GET with 10,000 resources", fmt.Sprintf("%.0f req/s", get10k), fmt.Sprintf("%.2f× the empty-state rate", get10k/get))
	e.Close()
	if fi, err := os.Stat(filepath.Join(dir, emulator.FileState)); err == nil {
		r.add("emulator", "state.json with 10,000 resources", fmt.Sprintf("%.1f MiB", float64(fi.Size())/(1<<20)), "")
	}
	begin = time.Now()
	e2, err := emulator.Start(emulator.Options{DataDir: dir})
	if err != nil {
		return err
	}
	r.add("emulator", "start-up with 10,000 resources (reload)", fmtDur(time.Since(begin)), "")
	e2.Close()
	return nil
}

func loadResources(c *client, rg string) (int, error) {
	type job struct{ path, body string }
	jobs := make(chan job)
	var failed atomic.Value
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if err := c.must(http.MethodPut, j.path, j.body); err != nil {
					failed.Store(err)
				}
			}
		}()
	}
	n := 0
	for v := range 100 {
		name := fmt.Sprintf("load-%03d", v)
		base := rg + "/providers/Microsoft.Network/virtualNetworks/" + name
		if err := c.must(http.MethodPut, base+"?api-version=2024-05-01", fmt.Sprintf(`{"location":"westus","properties":{"addressSpace":{"addressPrefixes":["172.%d.0.0/16"]}}}`, v%16+16)); err != nil {
			return n, err
		}
		n++
		for s := range 99 {
			jobs <- job{fmt.Sprintf("%s/subnets/s%02d?api-version=2024-05-01", base, s), fmt.Sprintf(`{"properties":{"addressPrefix":"172.%d.%d.0/24"}}`, v%16+16, s)}
			n++
		}
	}
	close(jobs)
	wg.Wait()
	if err, ok := failed.Load().(error); ok {
		return n, err
	}
	return n, nil
}

type client struct {
	e     *emulator.Emulator
	http  *http.Client
	token string
}

func (c *client) login() error {
	cred, err := c.e.Credential("", "", "")
	if err != nil {
		return err
	}
	tok, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{c.e.URL + "/.default"}})
	c.token = tok.Token
	return err
}

func (c *client) do(method, path, body string) (int, error) {
	req, err := http.NewRequest(method, c.e.URL+path, bytes.NewBufferString(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

func (c *client) must(method, path, body string) error {
	st, err := c.do(method, path, body)
	if err != nil {
		return err
	}
	if st >= 300 {
		return fmt.Errorf("%s %s: status %d", method, path, st)
	}
	return nil
}

// throughput runs workers for d and returns successful requests a second.
func (c *client) throughput(method, path, body string, workers int, d time.Duration) float64 {
	var ok atomic.Int64
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				if st, err := c.do(method, path, body); err == nil && st < 300 {
					ok.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return float64(ok.Load()) / d.Seconds()
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func fmtDur(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}
