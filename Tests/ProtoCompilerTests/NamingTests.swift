@testable import ProtoCompiler
import XCTest

/// How protobuf names become Swift and JSON names.
final class NamingTests: XCTestCase {
    func testJSONNamesFollowProtoc() {
        XCTAssertEqual(SwiftNaming.jsonName("foo_bar"), "fooBar")
        XCTAssertEqual(SwiftNaming.jsonName("foo_bar_baz"), "fooBarBaz")
        XCTAssertEqual(SwiftNaming.jsonName("_foo"), "Foo")
        XCTAssertEqual(SwiftNaming.jsonName("foo__bar"), "fooBar")
        XCTAssertEqual(SwiftNaming.jsonName("foo_"), "foo")
        XCTAssertEqual(SwiftNaming.jsonName("foo_1"), "foo1")
        XCTAssertEqual(SwiftNaming.jsonName("fooBar"), "fooBar")
        XCTAssertEqual(SwiftNaming.jsonName("FOO_BAR"), "FOOBAR")
        XCTAssertEqual(SwiftNaming.jsonName("x"), "x")
    }

    func testFieldNamesAreLowerCamelCase() {
        XCTAssertEqual(SwiftNaming.fieldName("foo_bar"), "fooBar")
        XCTAssertEqual(SwiftNaming.fieldName("_foo"), "foo")
        XCTAssertEqual(SwiftNaming.fieldName("FooBar"), "fooBar")
        XCTAssertEqual(SwiftNaming.fieldName("type"), "type")
        XCTAssertEqual(SwiftNaming.fieldName("x"), "x")
    }

    func testFieldNamesThatTheGeneratedCodeUsesGetASuffix() {
        XCTAssertEqual(SwiftNaming.fieldName("unknown_fields"), "unknownFields_")
        XCTAssertEqual(SwiftNaming.fieldName("proto_message_name"), "protoMessageName_")
        XCTAssertEqual(SwiftNaming.fieldName("hash_value"), "hashValue_")
        XCTAssertEqual(SwiftNaming.fieldName("serialized_size"), "serializedSize_")
        XCTAssertEqual(SwiftNaming.fieldName("encode"), "encode_")
        XCTAssertEqual(SwiftNaming.fieldName("decode"), "decode_")
    }

    func testKeywordsAreEscapedWithBackticks() {
        XCTAssertEqual(SwiftNaming.escaped("class"), "`class`")
        XCTAssertEqual(SwiftNaming.escaped("default"), "`default`")
        XCTAssertEqual(SwiftNaming.escaped("self"), "`self`")
        XCTAssertEqual(SwiftNaming.escaped("Any"), "`Any`")
        XCTAssertEqual(SwiftNaming.escaped("type"), "type")
        XCTAssertEqual(SwiftNaming.escaped("value"), "value")
    }

    func testTypeNamesThatMeanSomethingAfterADotGetASuffix() {
        XCTAssertEqual(SwiftNaming.typeName("Type"), "TypeMessage")
        XCTAssertEqual(SwiftNaming.typeName("Protocol"), "ProtocolMessage")
        XCTAssertEqual(SwiftNaming.typeName("Self"), "SelfMessage")
        XCTAssertEqual(SwiftNaming.typeName("Job"), "Job")
    }

    func testPackagePrefix() {
        XCTAssertEqual(SwiftNaming.packagePrefix("hodei.v1"), "Hodei_V1_")
        XCTAssertEqual(SwiftNaming.packagePrefix("google.protobuf"), "Google_Protobuf_")
        XCTAssertEqual(SwiftNaming.packagePrefix("foo_bar.baz"), "FooBar_Baz_")
        XCTAssertEqual(SwiftNaming.packagePrefix(""), "")
    }

    func testEnumPrefixIsStripped() {
        XCTAssertEqual(
            SwiftNaming.enumCaseNames(enumName: "JobState", values: ["JOB_STATE_UNSPECIFIED", "JOB_STATE_QUEUED", "JOB_STATE_RUNNING_NOW"]),
            ["unspecified", "queued", "runningNow"]
        )
        XCTAssertEqual(SwiftNaming.enumCaseNames(enumName: "Color", values: ["COLOR_RED", "BLUE"]), ["red", "blue"])
        XCTAssertEqual(SwiftNaming.enumCaseNames(enumName: "Priority", values: ["PRIORITYLOW"]), ["low"])
    }

    func testValueThatIsOnlyThePrefixKeepsItsWholeName() {
        XCTAssertEqual(SwiftNaming.enumCaseNames(enumName: "Foo", values: ["FOO", "FOO_BAR"]), ["foo", "bar"])
    }

    func testStrippingThatWouldStartWithADigitKeepsThePrefix() {
        XCTAssertEqual(SwiftNaming.enumCaseNames(enumName: "Size", values: ["SIZE_0", "SIZE_1X", "SIZE_LARGE"]), ["size0", "size1x", "large"])
    }

    func testCollisionsAfterStrippingFallBackToFullNames() {
        XCTAssertEqual(SwiftNaming.enumCaseNames(enumName: "Color", values: ["COLOR_RED", "RED"]), ["colorRed", "red"])
    }

    func testUnrecognizedIsReservedForUnknownNumbers() {
        XCTAssertEqual(SwiftNaming.enumCaseNames(enumName: "E", values: ["E_ZERO", "E_UNRECOGNIZED"]), ["zero", "unrecognized_"])
        XCTAssertEqual(SwiftNaming.enumCaseNames(enumName: "Kind", values: ["UNRECOGNIZED"]), ["unrecognized_"])
    }

    func testOneofTypeNamesAreUpperCamelAndAvoidNestedTypes() throws {
        let swift = generatedSwift(proto3Header + """
            message A {
              message Kind {}
              oneof kind { Kind k = 1; }
              oneof the_choice { int32 x = 2; }
              oneof type { int32 y = 3; }
            }
            """)
        assertContainsLines(swift, [
            "public var kind: OneOf_Kind? = nil",
            "public enum OneOf_Kind: Hashable, Sendable {",
            "public var theChoice: TheChoice? = nil",
            "public enum TheChoice: Hashable, Sendable {",
            "public var type: OneOf_Type? = nil",
            "public enum OneOf_Type: Hashable, Sendable {",
        ])
    }

    func testReservedAndKeywordFieldsInGeneratedCode() {
        let swift = generatedSwift(proto3Header + "message A {\n  int32 type = 1;\n  string class = 2;\n  int32 unknown_fields = 3;\n}\n")
        assertContainsLines(swift, [
            "public var type: Int32 = 0",
            "public var `class`: String = \"\"",
            "public var unknownFields_: Int32 = 0",
            "public var unknownFields = UnknownFields()",
            "if self.type != 0 { size += 1 + ProtoSize.int32(self.type) }",
        ])
    }

    func testNestedTypeNamedTypeIsRenamed() {
        let swift = generatedSwift(proto3Header + "package p;\nmessage A {\n  message Type {}\n  Type t = 1;\n}\n")
        assertContainsLines(swift, [
            "public struct TypeMessage: ProtoMessage {",
            "public var t: P_A.TypeMessage? = nil",
            "public static let protoMessageName = \"p.A.Type\"",
        ])
    }
}
