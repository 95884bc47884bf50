export { startFake3cx, samplePayloads, Fake3cxControls } from "./server.js";
export type { Fake3cx, Fake3cxOptions, FakeUser, FakeQueue, FakeReceptionist, FakeRingGroup, FakeActiveCall, FailureScript, FailureKind } from "./server.js";
export { demoDirectory, startPresenceDrift } from "./demo.js";
