import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { DEFAULT_LOCATION, locationKey, parseLocation, type GeoLocation } from '../../planning/geolocation';
import { AliasRecords, type AliasRecordsProps } from './alias-records';
import { FailoverRecords } from './failover-records';

/** A Region's load balancer and the health check its records carry. */
export interface RoutedRegion {
  /** The load balancer's DNS name. */
  readonly dnsName: string;
  /** The load balancer's hosted zone. */
  readonly hostedZoneId: string;
  /** The Route 53 health check the Region's records carry (its switch check). */
  readonly healthCheckId: string;
}

/** Properties of `GeolocationRecords`. */
export interface GeolocationRecordsProps {
  /** The hosted zone that gets the records. */
  readonly hostedZoneId: string;
  /** The record name, e.g. `shop.example.com`. */
  readonly recordName: string;
  /** Every Region by code. */
  readonly regions: Readonly<Record<string, RoutedRegion>>;
  /** The locations each Region answers: continent codes, country codes, or `country:XX`. */
  readonly locations: Readonly<Record<string, readonly string[]>>;
  /** The Region of the default record, which answers every other location. */
  readonly defaultRegion: string;
  /** The Region that answers the default record's users while the default Region is unhealthy. */
  readonly fallbackRegion: string;
  /**
   * The provider (Route 53 is global; any Region's works).
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * Geolocation records for one name: one per configured location, to the load balancer of the Region
 * that answers it, and the default record (country "*") to the default Region, always: without it,
 * Route 53 answers NODATA to a query from a location without a record, and to queries from addresses
 * it cannot place. https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-geo.html
 *
 * Each location record carries its Region's health check and evaluates the load balancer's health;
 * when both are unhealthy, Route 53 answers with the record of the next larger location (a country's
 * continent, then the default record).
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html
 *
 * The default record has no larger location behind it, and Route 53 answers with an unhealthy record
 * when no other can answer ("if no record is healthy, all records are healthy", same page): aimed at
 * the default Region's load balancer, its users would stay there through an outage or an evacuation.
 * So it is an alias, evaluating target health, to a failover pair of its own (`geo-default.<name>`):
 * PRIMARY the default Region, SECONDARY the fallback Region, each with its Region's health check, as
 * AWS's complex configurations combine policies.
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-complex-configs.html
 *
 * Day 2: a record's construct ID and set identifier come from its location only (`geo-DE`,
 * `geo-default`), so a location moving to another Region updates its alias target in place.
 */
export class GeolocationRecords extends Construct {
  /** The records by location key (`EU`, `DE`, `*`). */
  readonly records: ReadonlyMap<string, AliasRecords>;
  /** The failover pair the default record aliases: the default Region, then the fallback Region. */
  readonly defaultFailover: FailoverRecords;

  constructor(scope: Construct, id: string, props: GeolocationRecordsProps) {
    super(scope, id);
    const target = (region: string): RoutedRegion => {
      const routed = props.regions[region];
      if (!routed) throw new Error(`GeolocationRecords ${id}: Region ${region} has no load balancer`);
      return routed;
    };
    if (props.fallbackRegion === props.defaultRegion) {
      throw new Error(`GeolocationRecords ${id}: the fallback Region is the default Region, ${props.defaultRegion}`);
    }
    const records = new Map<string, AliasRecords>();
    const common = { provider: props.provider, hostedZoneId: props.hostedZoneId, recordName: props.recordName, evaluateTargetHealth: true };
    const add = (key: string, geolocation: GeoLocation, routing: Pick<AliasRecordsProps, 'target' | 'healthCheckId' | 'dependsOn'>) => {
      if (records.has(key)) throw new Error(`GeolocationRecords ${id}: location ${key} is answered twice`);
      const label = `geo-${key === DEFAULT_LOCATION ? 'default' : key}`;
      records.set(key, new AliasRecords(this, label, { ...common, ...routing, geolocation, setIdentifier: label }));
    };
    for (const [region, codes] of Object.entries(props.locations)) {
      for (const code of codes) {
        const location = parseLocation(code);
        if (!location) throw new Error(`GeolocationRecords ${id}: ${code} is not a location Route 53 accepts`);
        const routed = target(region);
        add(locationKey(location), location, {
          target: { dnsName: routed.dnsName, hostedZoneId: routed.hostedZoneId },
          healthCheckId: routed.healthCheckId,
        });
      }
    }
    const defaultName = `geo-default.${props.recordName}`;
    this.defaultFailover = new FailoverRecords(this, 'default-failover', {
      provider: props.provider,
      hostedZoneId: props.hostedZoneId,
      recordName: defaultName,
      order: [props.defaultRegion, props.fallbackRegion].map((region) => ({ region, ...target(region) })),
    });
    // An alias to a record of the same zone takes the zone's ID, and Route 53 refuses it before that record exists.
    add(
      DEFAULT_LOCATION,
      { country: DEFAULT_LOCATION },
      {
        target: { dnsName: defaultName, hostedZoneId: props.hostedZoneId },
        dependsOn: this.defaultFailover.links.flatMap((link) => link.flatMap((records) => records.records)),
      },
    );
    this.records = records;
  }
}
