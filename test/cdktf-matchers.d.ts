// Brings cdktf's Jest matcher types (toHaveResource, toHaveResourceWithProperties, …) into scope;
// test/setup-jest.ts registers the matchers themselves.
import 'cdktf/lib/testing/adapters/jest';
