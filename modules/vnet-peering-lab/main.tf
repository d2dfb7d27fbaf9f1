# The AZ-104 peering lab: two VNets in two regions, peered both ways as one
# peerlab_bidirectional_peering, with a Linux VM behind an NSG in each.

locals {
  # Each side of the lab, keyed as the outputs and the peering name them.
  sides = {
    main = {
      location      = var.main_location
      vnet_name     = var.main_vnet_name
      address_space = var.main_address_space
      subnet_name   = var.main_subnet_name
      subnet_prefix = var.main_subnet_prefix
      vm_name       = var.main_vm_name
      # ICMP is allowed in from the other side's address space.
      peer_space  = var.remote_address_space
      extra_rules = var.extra_security_rules.main
    }
    remote = {
      location      = var.remote_location
      vnet_name     = var.remote_vnet_name
      address_space = var.remote_address_space
      subnet_name   = var.remote_subnet_name
      subnet_prefix = var.remote_subnet_prefix
      vm_name       = var.remote_vm_name
      peer_space    = var.main_address_space
      extra_rules   = var.extra_security_rules.remote
    }
  }

  # Both directions, so the message names every prefix involved.
  main_overlaps   = provider::peerlab::overlapping_prefixes(var.main_address_space, var.remote_address_space)
  remote_overlaps = provider::peerlab::overlapping_prefixes(var.remote_address_space, var.main_address_space)
}

resource "azurerm_resource_group" "lab" {
  name     = var.resource_group_name
  location = coalesce(var.resource_group_location, var.main_location)
  tags     = var.tags

  lifecycle {
    # Checked here, on the first resource of the lab, so that a plan with
    # overlapping spaces stops before anything at all is created.
    precondition {
      condition     = length(local.main_overlaps) == 0
      error_message = <<-EOT
        ${var.main_vnet_name} (${join(", ", var.main_address_space)}) and ${var.remote_vnet_name} (${join(", ", var.remote_address_space)}) overlap: ${join(", ", local.main_overlaps)} of ${var.main_vnet_name} overlaps ${join(", ", local.remote_overlaps)} of ${var.remote_vnet_name}. Azure refuses to peer virtual networks whose address spaces overlap (VnetAddressSpacesOverlap). Give the VNets ranges that do not overlap, for example main_address_space = ["192.168.0.0/24"] with remote_address_space = ["192.168.1.0/24"] (this module's defaults).
      EOT
    }
  }
}

resource "azurerm_virtual_network" "lab" {
  for_each = local.sides

  name                = each.value.vnet_name
  location            = each.value.location
  resource_group_name = azurerm_resource_group.lab.name
  address_space       = each.value.address_space
  tags                = var.tags
}

resource "azurerm_subnet" "lab" {
  for_each = local.sides

  name                 = each.value.subnet_name
  resource_group_name  = azurerm_resource_group.lab.name
  virtual_network_name = azurerm_virtual_network.lab[each.key].name
  address_prefixes     = [each.value.subnet_prefix]
}

resource "peerlab_bidirectional_peering" "main_remote" {
  a = {
    virtual_network_id      = azurerm_virtual_network.lab["main"].id
    name                    = var.main_to_remote_name
    allow_forwarded_traffic = var.allow_forwarded_traffic
  }
  b = {
    virtual_network_id      = azurerm_virtual_network.lab["remote"].id
    name                    = var.remote_to_main_name
    allow_forwarded_traffic = var.allow_forwarded_traffic
  }

  # Subnets and links of one VNet are best not changed at the same time
  # (AnotherOperationInProgress), so the subnets come first.
  depends_on = [azurerm_subnet.lab]
}

resource "azurerm_network_security_group" "lab" {
  for_each = local.sides

  name                = "${each.value.vm_name}-NSG"
  location            = each.value.location
  resource_group_name = azurerm_resource_group.lab.name
  tags                = var.tags

  security_rule {
    name                       = "Allow-ICMP-Inbound"
    priority                   = 1000
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Icmp"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefixes    = each.value.peer_space
    destination_address_prefix = "*"
  }

  dynamic "security_rule" {
    for_each = each.value.extra_rules
    content {
      name                       = security_rule.value.name
      priority                   = security_rule.value.priority
      direction                  = security_rule.value.direction
      access                     = security_rule.value.access
      protocol                   = security_rule.value.protocol
      source_port_range          = security_rule.value.source_port_range
      destination_port_range     = security_rule.value.destination_port_range
      source_address_prefix      = security_rule.value.source_address_prefix
      destination_address_prefix = security_rule.value.destination_address_prefix
    }
  }
}

resource "azurerm_public_ip" "lab" {
  for_each = var.create_public_ips ? local.sides : {}

  name                = "${each.value.vm_name}-ip"
  location            = each.value.location
  resource_group_name = azurerm_resource_group.lab.name
  allocation_method   = "Static"
  sku                 = "Standard"
  tags                = var.tags
}

resource "azurerm_network_interface" "lab" {
  for_each = local.sides

  name                = "${each.value.vm_name}-nic"
  location            = each.value.location
  resource_group_name = azurerm_resource_group.lab.name
  tags                = var.tags

  ip_configuration {
    name                          = "ipconfig1"
    subnet_id                     = azurerm_subnet.lab[each.key].id
    private_ip_address_allocation = "Dynamic"
    public_ip_address_id          = var.create_public_ips ? azurerm_public_ip.lab[each.key].id : null
  }
}

resource "azurerm_network_interface_security_group_association" "lab" {
  for_each = local.sides

  network_interface_id      = azurerm_network_interface.lab[each.key].id
  network_security_group_id = azurerm_network_security_group.lab[each.key].id
}

resource "azurerm_linux_virtual_machine" "lab" {
  for_each = local.sides

  name                  = each.value.vm_name
  location              = each.value.location
  resource_group_name   = azurerm_resource_group.lab.name
  size                  = var.vm_size
  admin_username        = var.admin_username
  network_interface_ids = [azurerm_network_interface.lab[each.key].id]
  tags                  = var.tags

  admin_password                  = var.admin_password
  disable_password_authentication = var.admin_password == null

  dynamic "admin_ssh_key" {
    for_each = var.ssh_public_key == null ? [] : [trimspace(var.ssh_public_key)]
    content {
      username   = var.admin_username
      public_key = admin_ssh_key.value
    }
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }

  # Ubuntu Server 22.04 LTS, generation 2.
  source_image_reference {
    publisher = "Canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts-gen2"
    version   = "latest"
  }

  # The NSG guards the NIC before the VM boots.
  depends_on = [azurerm_network_interface_security_group_association.lab]
}
