package emulator_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources/v3"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
)

func TestARMProtocol(t *testing.T) {
	e := start(t, emulator.Options{})
	tok := token(t, e)
	sub := e.Credentials().SubscriptionID
	group := "/subscriptions/" + sub + "/resourceGroups/Proto-RG"

	if a := call(t, e, http.MethodGet, "/subscriptions/"+sub+"/resourcegroups", tok, ""); a.Status != http.StatusBadRequest || a.errorCode() != "MissingApiVersionParameter" {
		t.Errorf("no api-version: want 400 MissingApiVersionParameter, got %d %s", a.Status, a.Raw)
	}
	if a := call(t, e, http.MethodGet, "/subscriptions/"+sub+"/resourcegroups?api-version=latest", tok, ""); a.Status != http.StatusBadRequest || a.errorCode() != "InvalidApiVersionParameter" {
		t.Errorf("bad api-version: want 400 InvalidApiVersionParameter, got %d %s", a.Status, a.Raw)
	}
	a := call(t, e, http.MethodPut, group+rgAPI, tok, `{"location":"West Europe"}`)
	if a.Status != http.StatusCreated || a.Body["location"] != "westeurope" {
		t.Fatalf("create group: want 201 with location westeurope, got %d %s", a.Status, a.Raw)
	}
	for _, h := range []string{"x-ms-request-id", "x-ms-correlation-request-id"} {
		if a.Header.Get(h) == "" {
			t.Errorf("answer lacks %s", h)
		}
	}
	if a := call(t, e, http.MethodPut, group+rgAPI, tok, `{"location":"westeurope"}`); a.Status != http.StatusOK {
		t.Errorf("second PUT: want 200, got %d", a.Status)
	}
	if a := call(t, e, http.MethodPut, group+rgAPI, tok, `{"location":"eastus"}`); a.Status != http.StatusConflict || a.errorCode() != "InvalidResourceGroupLocation" {
		t.Errorf("moving a group: want 409 InvalidResourceGroupLocation, got %d %s", a.Status, a.Raw)
	}
	// Paths match case-insensitively, tolerate doubled slashes, and answers
	// keep the casing the resource was created with.
	a = call(t, e, http.MethodGet, "//SUBSCRIPTIONS/"+sub+"//resourcegroups/proto-rg"+rgAPI, tok, "")
	if a.Status != http.StatusOK || a.Body["id"] != group || a.Body["name"] != "Proto-RG" {
		t.Errorf("case-folded GET: %d %s", a.Status, a.Raw)
	}
	if a := call(t, e, http.MethodGet, group+"/providers/Microsoft.Network/virtualHubs/x?api-version=2024-05-01", tok, ""); a.Status != http.StatusBadRequest || a.errorCode() != "InvalidResourceType" {
		t.Errorf("unknown type: want 400 InvalidResourceType, got %d %s", a.Status, a.Raw)
	}
	if a := call(t, e, http.MethodGet, "/subscriptions/"+sub+"/resourceGroups/nope"+rgAPI, tok, ""); a.Status != http.StatusNotFound || a.errorCode() != "ResourceGroupNotFound" {
		t.Errorf("missing group: want 404 ResourceGroupNotFound, got %d %s", a.Status, a.Raw)
	}
	if a := call(t, e, http.MethodPut, "/subscriptions/"+sub+"/resourceGroups/bad"+rgAPI, tok, `{"location":`); a.Status != http.StatusBadRequest || a.errorCode() != "InvalidRequestContent" {
		t.Errorf("broken JSON: want 400 InvalidRequestContent, got %d %s", a.Status, a.Raw)
	}
}

func TestResourceGroupListPagesWithNextLink(t *testing.T) {
	old := arm.DefaultPageSize
	arm.DefaultPageSize = 3
	t.Cleanup(func() { arm.DefaultPageSize = old })
	e := start(t, emulator.Options{})
	cred, _ := e.Credential("", "", "")
	rg, _ := armresources.NewResourceGroupsClient(e.Credentials().SubscriptionID, cred, e.ClientOptions())
	for i := range 8 {
		if _, err := rg.CreateOrUpdate(ctx(t), fmt.Sprintf("page-%d", i), armresources.ResourceGroup{Location: to.Ptr("eastus")}, nil); err != nil {
			t.Fatal(err)
		}
	}
	pages, names := 0, map[string]bool{}
	for p := rg.NewListPager(nil); p.More(); {
		page, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, g := range page.Value {
			names[*g.Name] = true
		}
	}
	if pages != 3 || len(names) != 8 {
		t.Errorf("want 8 groups on 3 pages, got %d on %d", len(names), pages)
	}
}

func TestResourceGroupDeleteCascades(t *testing.T) {
	e := start(t, emulator.Options{})
	sub := e.Credentials().SubscriptionID
	cred, _ := e.Credential("", "", "")
	rg, _ := armresources.NewResourceGroupsClient(sub, cred, e.ClientOptions())
	vnets, _ := armnetwork.NewVirtualNetworksClient(sub, cred, e.ClientOptions())
	if _, err := rg.CreateOrUpdate(ctx(t), "cascade", armresources.ResourceGroup{Location: to.Ptr("eastus")}, nil); err != nil {
		t.Fatal(err)
	}
	poll := &runtime.PollUntilDoneOptions{Frequency: 20 * time.Millisecond}
	vp, err := vnets.BeginCreateOrUpdate(ctx(t), "cascade", "v", armnetwork.VirtualNetwork{Location: to.Ptr("eastus"),
		Properties: &armnetwork.VirtualNetworkPropertiesFormat{AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: []*string{to.Ptr("10.9.0.0/16")}}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := vp.PollUntilDone(ctx(t), poll); err != nil {
		t.Fatal(err)
	}
	res, _ := armresources.NewClient(sub, cred, e.ClientOptions())
	page, err := res.NewListByResourceGroupPager("cascade", nil).NextPage(ctx(t))
	if err != nil || len(page.Value) != 1 || *page.Value[0].Type != "Microsoft.Network/virtualNetworks" {
		t.Fatalf("resources in the group: %v %v", err, page.Value)
	}
	dp, err := rg.BeginDelete(ctx(t), "cascade", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dp.PollUntilDone(ctx(t), poll); err != nil {
		t.Fatal(err)
	}
	_, err = vnets.Get(ctx(t), "cascade", "v", nil)
	respErr(t, err, http.StatusNotFound, "ResourceGroupNotFound")
	if ok, _ := rg.CheckExistence(ctx(t), "cascade", nil); ok.Success {
		t.Error("the group still exists")
	}
}

func adminCall(t *testing.T, e *emulator.Emulator, method, path, body string) answer {
	return call(t, e, method, path, e.AdminKey(), body)
}

func TestFaultInjection(t *testing.T) {
	e := start(t, emulator.Options{})
	tok := token(t, e)
	sub := e.Credentials().SubscriptionID
	put := func(name string) answer {
		return call(t, e, http.MethodPut, "/subscriptions/"+sub+"/resourceGroups/"+name+rgAPI, tok, `{"location":"eastus"}`)
	}
	if a := call(t, e, http.MethodPost, "/_emulator/faults", "wrong-key", `{}`); a.Status != http.StatusUnauthorized {
		t.Errorf("admin call with a wrong key: want 401, got %d", a.Status)
	}
	if a := adminCall(t, e, http.MethodPost, "/_emulator/faults", `{"path":"(","status":400}`); a.Status != http.StatusBadRequest {
		t.Errorf("bad regexp: want 400, got %d", a.Status)
	}
	f := `{"method":"PUT","path":"/RESOURCEGROUPS/faulty-","skip":1,"count":2,"status":429,"code":"TooManyRequests","message":"slow down","retryAfter":3}`
	if a := adminCall(t, e, http.MethodPost, "/_emulator/faults", f); a.Status != http.StatusCreated {
		t.Fatalf("add fault: %d %s", a.Status, a.Raw)
	}
	if a := put("other"); a.Status != http.StatusCreated {
		t.Errorf("a call the fault does not match: %d", a.Status)
	}
	statuses := []int{}
	for i := range 4 {
		a := put(fmt.Sprintf("faulty-%d", i))
		statuses = append(statuses, a.Status)
		if a.Status == http.StatusTooManyRequests && (a.errorCode() != "TooManyRequests" || a.Header.Get("Retry-After") != "3") {
			t.Errorf("fault answer: %s %v", a.Raw, a.Header)
		}
	}
	if fmt.Sprint(statuses) != "[201 429 429 201]" {
		t.Errorf("skip 1, count 2: got %v", statuses)
	}
	adminCall(t, e, http.MethodPost, "/_emulator/faults", `{"path":"resourceGroups/reset-me","reset":true}`)
	req, _ := http.NewRequest(http.MethodGet, e.URL+"/subscriptions/"+sub+"/resourceGroups/reset-me"+rgAPI, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	if resp, err := e.HTTPClient().Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("reset fault: want a broken connection, got %d", resp.StatusCode)
	}
	adminCall(t, e, http.MethodPost, "/_emulator/faults", `{"path":"resourceGroups/forever","count":-1,"status":500}`)
	for range 3 {
		if a := put("forever"); a.Status != http.StatusInternalServerError {
			t.Errorf("count -1: want 500 every time, got %d", a.Status)
		}
	}
	if a := adminCall(t, e, http.MethodDelete, "/_emulator/faults", ""); a.Status != http.StatusNoContent {
		t.Errorf("clear faults: %d", a.Status)
	}
	if a := put("forever"); a.Status != http.StatusCreated {
		t.Errorf("after clearing faults: want 201, got %d", a.Status)
	}
	adminCall(t, e, http.MethodPost, "/_emulator/faults", `{"path":"resourceGroups/slow","delayMs":300}`)
	begin := time.Now()
	if a := put("slow"); a.Status != http.StatusCreated || time.Since(begin) < 300*time.Millisecond {
		t.Errorf("delay fault: status %d after %v", a.Status, time.Since(begin))
	}
}

func TestRequestLogAndReset(t *testing.T) {
	e := start(t, emulator.Options{})
	tok := token(t, e)
	sub := e.Credentials().SubscriptionID
	call(t, e, http.MethodPut, "/subscriptions/"+sub+"/resourceGroups/logged"+rgAPI, tok, `{"location":"eastus"}`)
	call(t, e, http.MethodGet, "/subscriptions/"+sub+"/resourceGroups/missing"+rgAPI+"&x=a%20b", tok, "")
	a := adminCall(t, e, http.MethodGet, "/_emulator/requests", "")
	var log []emulator.RequestEntry
	if err := json.Unmarshal([]byte(a.Raw), &log); err != nil {
		t.Fatal(err)
	}
	want := []emulator.RequestEntry{
		{Method: "PUT", Path: "/subscriptions/" + sub + "/resourceGroups/logged", Query: "api-version=2023-07-01", Status: 201},
		{Method: "GET", Path: "/subscriptions/" + sub + "/resourceGroups/missing", Query: "api-version=2023-07-01&x=a%20b", Status: 404},
	}
	if fmt.Sprint(log) != fmt.Sprint(want) {
		t.Errorf("request log:\n got %v\nwant %v", log, want)
	}
	if a := adminCall(t, e, http.MethodPost, "/_emulator/reset", ""); a.Status != http.StatusNoContent {
		t.Fatalf("reset: %d", a.Status)
	}
	if a := call(t, e, http.MethodGet, "/subscriptions/"+sub+"/resourceGroups/logged"+rgAPI, tok, ""); a.Status != http.StatusNotFound {
		t.Errorf("after reset the group is still there: %d", a.Status)
	}
}

func TestStateSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	e1, err := emulator.Start(emulator.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	creds, ca := e1.Credentials(), readFile(t, filepath.Join(dir, emulator.FileCA))
	tok := token(t, e1)
	sub := creds.SubscriptionID
	call(t, e1, http.MethodPut, "/subscriptions/"+sub+"/resourceGroups/kept"+rgAPI, tok, `{"location":"eastus","tags":{"k":"v"}}`)
	a := call(t, e1, http.MethodPut, "/subscriptions/"+sub+"/resourceGroups/kept/providers/Microsoft.Network/virtualNetworks/v?api-version=2024-05-01", tok,
		`{"location":"eastus","properties":{"addressSpace":{"addressPrefixes":["10.1.0.0/16"]},"subnets":[{"name":"s","properties":{"addressPrefix":"10.1.0.0/24"}}]}}`)
	if a.Status != http.StatusCreated {
		t.Fatalf("vnet: %d %s", a.Status, a.Raw)
	}
	if err := e1.Close(); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{emulator.FileState, emulator.FileEnv, emulator.FileCA} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s missing after stop: %v", f, err)
		}
	}
	e2 := start(t, emulator.Options{DataDir: dir})
	if e2.Credentials() != creds || readFile(t, filepath.Join(dir, emulator.FileCA)) != ca {
		t.Error("credentials or CA changed across a restart")
	}
	tok2 := token(t, e2)
	if a := call(t, e2, http.MethodGet, "/subscriptions/"+sub+"/resourceGroups/kept"+rgAPI, tok2, ""); a.Status != http.StatusOK || !strings.Contains(a.Raw, `"k":"v"`) {
		t.Errorf("group after restart: %d %s", a.Status, a.Raw)
	}
	a = call(t, e2, http.MethodGet, "/subscriptions/"+sub+"/resourceGroups/kept/providers/Microsoft.Network/virtualNetworks/v?api-version=2024-05-01", tok2, "")
	if a.Status != http.StatusOK || !strings.Contains(a.Raw, `"10.1.0.0/24"`) {
		t.Errorf("vnet after restart: %d %s", a.Status, a.Raw)
	}
	env := readFile(t, filepath.Join(dir, emulator.FileEnv))
	for _, v := range []string{"ARM_METADATA_HOSTNAME=" + e2.Host, "ARM_CLIENT_SECRET=", "SSL_CERT_FILE=", "PEERLAB_EMULATOR_URL=" + e2.URL, "PEERLAB_EMULATOR_ADMIN_KEY="} {
		if !strings.Contains(env, "export "+v) {
			t.Errorf("env file lacks %q:\n%s", v, env)
		}
	}
}

func TestThrottlingPerPrincipal(t *testing.T) {
	p := &arm.Profile{Name: "test", Throttle: true, ReadsPerSecond: 0.5, ReadBurst: 3, WritesPerSecond: 10, WriteBurst: 100}
	e := start(t, emulator.Options{Profile: p})
	tok := token(t, e)
	path := "/subscriptions/" + e.Credentials().SubscriptionID + "/resourcegroups" + rgAPI
	var last answer
	for range 4 {
		last = call(t, e, http.MethodGet, path, tok, "")
	}
	if last.Status != http.StatusTooManyRequests || last.errorCode() != "SubscriptionRequestsThrottled" || last.Header.Get("Retry-After") == "" {
		t.Errorf("fourth read past a budget of 3: want 429 with Retry-After, got %d %s", last.Status, last.Raw)
	}
}

func TestLoopbackOnly(t *testing.T) {
	if _, err := emulator.Start(emulator.Options{Addr: "0.0.0.0:0"}); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("a non-loopback address must be refused, got %v", err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestProviderRegistration(t *testing.T) {
	e := start(t, emulator.Options{})
	cred, _ := e.Credential("", "", "")
	pc, _ := armresources.NewProvidersClient(e.Credentials().SubscriptionID, cred, e.ClientOptions())
	got, err := pc.Get(ctx(t), "microsoft.network", nil)
	if err != nil || *got.Namespace != "Microsoft.Network" || *got.RegistrationState != "Registered" {
		t.Fatalf("Microsoft.Network: %v %+v", err, got)
	}
	if _, err := pc.Unregister(ctx(t), "Microsoft.Compute", nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := pc.Get(ctx(t), "Microsoft.Compute", nil); *got.RegistrationState != "Unregistered" {
		t.Errorf("after unregister: %s", *got.RegistrationState)
	}
	if got, err := pc.Register(ctx(t), "Microsoft.Compute", nil); err != nil || *got.RegistrationState != "Registered" {
		t.Errorf("register: %v %v", err, got.RegistrationState)
	}
	page, err := pc.NewListPager(nil).NextPage(ctx(t))
	if err != nil || len(page.Value) < 3 {
		t.Errorf("provider list: %v, %d providers", err, len(page.Value))
	}
	_, err = pc.Get(ctx(t), "Microsoft.Nothing", nil)
	respErr(t, err, http.StatusNotFound, "InvalidResourceNamespace")
}

// TestConcurrentWritesAndReads runs under -race in make test: many clients
// writing subnets of their own VNets and reading everything at once.
func TestConcurrentWritesAndReads(t *testing.T) {
	e := start(t, emulator.Options{})
	tok := token(t, e)
	base := "/subscriptions/" + e.Credentials().SubscriptionID + "/resourceGroups/busy"
	call(t, e, http.MethodPut, base+rgAPI, tok, `{"location":"eastus"}`)
	const api = "?api-version=2024-05-01"
	var wg sync.WaitGroup
	errs := make(chan string, 200)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			vnet := fmt.Sprintf("%s/providers/Microsoft.Network/virtualNetworks/v%d", base, w)
			if a := call(t, e, http.MethodPut, vnet+api, tok, fmt.Sprintf(`{"location":"eastus","properties":{"addressSpace":{"addressPrefixes":["10.%d.0.0/16"]}}}`, w)); a.Status != http.StatusCreated {
				errs <- a.Raw
				return
			}
			for s := range 10 {
				if a := call(t, e, http.MethodPut, fmt.Sprintf("%s/subnets/s%d%s", vnet, s, api), tok, fmt.Sprintf(`{"properties":{"addressPrefix":"10.%d.%d.0/24"}}`, w, s)); a.Status != http.StatusCreated {
					errs <- a.Raw
				}
				call(t, e, http.MethodGet, base+"/providers/Microsoft.Network/virtualNetworks"+api, tok, "")
			}
		}()
	}
	wg.Wait()
	close(errs)
	for msg := range errs {
		t.Error(msg)
	}
	a := call(t, e, http.MethodGet, base+"/providers/Microsoft.Network/virtualNetworks"+api, tok, "")
	if n := strings.Count(a.Raw, `"type":"Microsoft.Network/virtualNetworks/subnets"`); n != 80 {
		t.Errorf("want 80 subnets embedded in the listing, got %d", n)
	}
}

func TestAsyncFaultFailsTheOperation(t *testing.T) {
	e := start(t, emulator.Options{})
	sub := e.Credentials().SubscriptionID
	cred, _ := e.Credential("", "", "")
	rg, _ := armresources.NewResourceGroupsClient(sub, cred, e.ClientOptions())
	vnets, _ := armnetwork.NewVirtualNetworksClient(sub, cred, e.ClientOptions())
	if _, err := rg.CreateOrUpdate(ctx(t), "late", armresources.ResourceGroup{Location: to.Ptr("eastus")}, nil); err != nil {
		t.Fatal(err)
	}
	adminCall(t, e, http.MethodPost, "/_emulator/faults", `{"method":"PUT","path":"virtualNetworks/late$","async":true,"code":"InternalServerError","message":"the operation failed late"}`)
	vnet := armnetwork.VirtualNetwork{Location: to.Ptr("eastus"), Properties: &armnetwork.VirtualNetworkPropertiesFormat{AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: []*string{to.Ptr("10.5.0.0/16")}}}}
	poller, err := vnets.BeginCreateOrUpdate(ctx(t), "late", "late", vnet, nil)
	if err != nil {
		t.Fatalf("an async fault lets the request through, got %v", err)
	}
	_, err = poller.PollUntilDone(ctx(t), &runtime.PollUntilDoneOptions{Frequency: 20 * time.Millisecond})
	re := respErr(t, err, http.StatusOK, "InternalServerError")
	if !strings.Contains(re.Error(), "the operation failed late") {
		t.Errorf("the operation's error lacks the message: %v", re)
	}
	got, err := vnets.Get(ctx(t), "late", "late", nil)
	if err != nil || *got.Properties.ProvisioningState != armnetwork.ProvisioningStateFailed {
		t.Errorf("the VNet should read as Failed: %v %v", err, got.Properties)
	}
	// A second PUT is not faulted and succeeds.
	poller, _ = vnets.BeginCreateOrUpdate(ctx(t), "late", "late", vnet, nil)
	if _, err := poller.PollUntilDone(ctx(t), &runtime.PollUntilDoneOptions{Frequency: 20 * time.Millisecond}); err != nil {
		t.Errorf("retry after a failed operation: %v", err)
	}
}
