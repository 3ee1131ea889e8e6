import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { csrfFrom, signInThroughHub } from './demo-flow';
import { FakeHub, type FakeResident } from './fake-hub';
import { SdkStandIn } from './sdk-stand-in';

/** What differs between the two demos' member page sections that ask their connector's SDK. */
export interface ConnectorSectionUnderTest {
  clientId: string;
  clientSecret: string;
  /** Builds the app on an in-memory store, pointed at the fake hub and, by `sdkEnv`, at the SDK stand-in. */
  start(hubUrl: string, sdkEnv: { CONNECTOR_SDK_URL: string; CONNECTOR_SDK_TOKEN: string }): Promise<NestExpressApplication>;
  sdkToken: string;
  /** The resident signing in, linked to the local account `localId`. */
  resident: FakeResident;
  localId: string;
  /** Text of the section's button: the member page must offer it. */
  button: string;
}

export interface ConnectorSection {
  readonly hub: FakeHub;
  readonly sdk: SdkStandIn;
  readonly app: NestExpressApplication;
  /** A browser signed in through the hub and linked, with the CSRF token of its member page. */
  signedIn(): Promise<{ agent: ReturnType<typeof request.agent>; csrf: string }>;
}

/**
 * Runs a demo against a fake hub and an SDK stand-in for the tests of the enclosing `describe`;
 * before each test the stand-in forgets its calls and the resident is signed in and linked again.
 */
export function connectorSectionHarness(demo: ConnectorSectionUnderTest): ConnectorSection {
  let hub: FakeHub;
  let sdk: SdkStandIn;
  let app: NestExpressApplication;

  beforeAll(async () => {
    hub = await FakeHub.start([{ clientId: demo.clientId, clientSecret: demo.clientSecret }]);
    sdk = await SdkStandIn.start();
    app = await demo.start(hub.url, { CONNECTOR_SDK_URL: sdk.url, CONNECTOR_SDK_TOKEN: demo.sdkToken });
  });
  afterAll(async () => {
    await app?.close();
    await sdk?.close();
    await hub?.close();
  });
  beforeEach(() => {
    sdk.calls.length = 0;
    hub.resident = demo.resident;
    hub.links.set(`${demo.clientId} ${hub.pairwiseSub(demo.clientId, demo.resident.id)}`, { localId: demo.localId, linkedAt: new Date().toISOString() });
  });

  return {
    get hub() { return hub; },
    get sdk() { return sdk; },
    get app() { return app; },
    async signedIn() {
      const agent = request.agent(app.getHttpServer());
      await signInThroughHub(agent);
      const page = await agent.get('/member').expect(200);
      expect(page.text).toContain(demo.button);
      return { agent, csrf: csrfFrom(page.text) };
    },
  };
}
