terraform {
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 7.0.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

module "transit_gateway" {
  source = "../.."

  name_prefix     = "acme-shop-us-east-1"
  amazon_side_asn = 64512
  vpc_id          = "vpc-0a1b2c3d4e5f60001"
  subnet_ids      = ["subnet-0a1b2c3d4e5f60201", "subnet-0a1b2c3d4e5f60202", "subnet-0a1b2c3d4e5f60203"]
}

output "route_table_id" {
  value = module.transit_gateway.route_table_id
}

output "transit_gateway_id" {
  value = module.transit_gateway.transit_gateway_id
}

output "vpc_attachment_id" {
  value = module.transit_gateway.vpc_attachment_id
}
