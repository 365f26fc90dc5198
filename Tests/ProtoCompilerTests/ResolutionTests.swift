@testable import ProtoCompiler
import XCTest

/// Type names resolve as protoc resolves them: innermost scope first, leading dot from the
/// root, package-relative across files, and only through imports the file can see.
final class ResolutionTests: XCTestCase {
    private let h = proto3Header

    private func resolved(_ files: [String: String], main: String = "test.proto", file: StaticString = #filePath, line: UInt = #line) -> FileDescriptor? {
        switch resolvedFile(files, main: main) {
        case .success(let descriptor): return descriptor
        case .failure(let error):
            XCTFail("\(error)", file: file, line: line)
            return nil
        }
    }

    func testNestedLookupSearchesTheInnermostScopeFirst() {
        let source = h + """
            package p;
            message Inner {}
            message Outer {
              message Inner {}
              message Middle {
                message Inner {}
                Inner x = 1;
                Outer.Inner y = 2;
                .p.Inner z = 3;
              }
              Inner a = 1;
              Middle.Inner b = 2;
            }
            message Other {
              Inner c = 1;
            }
            """
        guard let file = resolved(["test.proto": source]) else { return }
        XCTAssertEqual(file.fieldType("p.Outer.Middle", "x"), .message("p.Outer.Middle.Inner"))
        XCTAssertEqual(file.fieldType("p.Outer.Middle", "y"), .message("p.Outer.Inner"))
        XCTAssertEqual(file.fieldType("p.Outer.Middle", "z"), .message("p.Inner"))
        XCTAssertEqual(file.fieldType("p.Outer", "a"), .message("p.Outer.Inner"))
        XCTAssertEqual(file.fieldType("p.Outer", "b"), .message("p.Outer.Middle.Inner"))
        XCTAssertEqual(file.fieldType("p.Other", "c"), .message("p.Inner"))
    }

    func testPartialMatchInAnInnerScopeIsAnErrorAsInProtoc() {
        // "Inner.Deep" binds "Inner" to Middle.Inner, which has no Deep, even though
        // Outer.Inner.Deep exists: protoc does not back off to the outer scope.
        let source = h + """
            package p;
            message Outer {
              message Inner { message Deep {} }
              message Middle {
                message Inner {}
                Inner.Deep x = 1;
              }
            }
            """
        let error = compileError(source)
        XCTAssertTrue(error?.hasPrefix("test.proto:7:5: \"Inner.Deep\" is resolved to \"p.Outer.Middle.Inner.Deep\", which is not defined") == true, error ?? "no error")
    }

    func testLeadingDotIsFullyQualified() {
        let source = h + "package p;\nmessage A {\n  message A {}\n  .p.A outer = 1;\n  A inner = 2;\n}\n"
        guard let file = resolved(["test.proto": source]) else { return }
        XCTAssertEqual(file.fieldType("p.A", "outer"), .message("p.A"))
        XCTAssertEqual(file.fieldType("p.A", "inner"), .message("p.A.A"))
    }

    func testPackageRelativeNamesAcrossFilesWithDifferentPackages() {
        let files = [
            "bar.proto": h + "package foo.bar;\nmessage M {}\nenum E { E_ZERO = 0; }\n",
            "test.proto": h + """
                package foo.baz;
                import "bar.proto";
                message N {
                  bar.M relative = 1;
                  foo.bar.M qualified = 2;
                  .foo.bar.M rooted = 3;
                  bar.E e = 4;
                }
                """,
        ]
        guard let file = resolved(files) else { return }
        XCTAssertEqual(file.fieldType("foo.baz.N", "relative"), .message("foo.bar.M"))
        XCTAssertEqual(file.fieldType("foo.baz.N", "qualified"), .message("foo.bar.M"))
        XCTAssertEqual(file.fieldType("foo.baz.N", "rooted"), .message("foo.bar.M"))
        XCTAssertEqual(file.fieldType("foo.baz.N", "e"), .enumeration("foo.bar.E"))
    }

    func testSamePackageSplitAcrossFilesResolvesUnqualified() {
        let files = [
            "a.proto": h + "package p;\nmessage A {}\n",
            "test.proto": h + "package p;\nimport \"a.proto\";\nmessage B {\n  A a = 1;\n}\n",
        ]
        XCTAssertEqual(resolved(files)?.fieldType("p.B", "a"), .message("p.A"))
    }

    func testPublicImportIsReExported() {
        let files = [
            "c.proto": h + "package c;\nmessage C {}\n",
            "d.proto": h + "package d;\nmessage D {}\n",
            "b.proto": h + "package b;\nimport public \"c.proto\";\nimport public \"d.proto\";\nmessage B {}\n",
            "test.proto": h + "package a;\nimport \"b.proto\";\nmessage A {\n  c.C c = 1;\n  d.D d = 2;\n  b.B b = 3;\n}\n",
        ]
        guard let file = resolved(files) else { return }
        XCTAssertEqual(file.fieldType("a.A", "c"), .message("c.C"))
        XCTAssertEqual(file.fieldType("a.A", "d"), .message("d.D"))
    }

    func testPublicImportsChain() {
        let files = [
            "e.proto": h + "package e;\nmessage E {}\n",
            "c.proto": h + "package c;\nimport public \"e.proto\";\n",
            "b.proto": h + "package b;\nimport public \"c.proto\";\n",
            "test.proto": h + "package a;\nimport \"b.proto\";\nmessage A {\n  e.E e = 1;\n}\n",
        ]
        XCTAssertEqual(resolved(files)?.fieldType("a.A", "e"), .message("e.E"))
    }

    func testNonPublicTransitiveImportIsNotVisible() {
        let files = [
            "c.proto": h + "package c;\nmessage C {}\n",
            "b.proto": h + "package b;\nimport \"c.proto\";\nmessage B {\n  c.C c = 1;\n}\n",
            "test.proto": h + "package a;\nimport \"b.proto\";\nmessage A {\n  c.C c = 1;\n}\n",
        ]
        XCTAssertEqual(
            compileError(files),
            "test.proto:5:3: \"c.C\" seems to be defined in \"c.proto\", which is not imported by \"test.proto\"; add the import to use it here"
        )
    }

    func testTypeFromAnotherInputFileNeedsAnImport() {
        let files = [
            "a.proto": h + "package p;\nmessage X {}\n",
            "test.proto": h + "package p;\nmessage Y {\n  X x = 1;\n}\n",
        ]
        XCTAssertEqual(
            compileError(files, inputs: ["a.proto", "test.proto"]),
            "test.proto:4:3: \"X\" seems to be defined in \"a.proto\", which is not imported by \"test.proto\"; add the import to use it here"
        )
    }

    func testEnumValuesAreScopedAsSiblingsOfTheirEnum() {
        XCTAssertEqual(
            compileError(h + "package p;\nenum A {\n  UNKNOWN = 0;\n}\nenum B {\n  UNKNOWN = 0;\n}\n"),
            "test.proto:7:3: \"p.UNKNOWN\" is already defined in file \"test.proto\"; enum values use C++ scoping rules (they are siblings of their enum), so \"UNKNOWN\" must be unique within \"p\""
        )
        XCTAssertEqual(
            compileError(h + "enum A {\n  UNKNOWN = 0;\n}\nenum B {\n  UNKNOWN = 0;\n}\n"),
            "test.proto:6:3: \"UNKNOWN\" is already defined in file \"test.proto\"; enum values use C++ scoping rules (they are siblings of their enum), so \"UNKNOWN\" must be unique within \"the package\""
        )
        let clash = compileError(h + "package p;\nmessage FOO {}\nenum E {\n  FOO = 0;\n}\n")
        XCTAssertTrue(clash?.hasPrefix("test.proto:5:3: \"p.FOO\" is already defined") == true, clash ?? "no error")
        // The same value name in enums nested in different messages is fine.
        XCTAssertNil(compileError(h + "message A {\n  enum E { UNKNOWN = 0; }\n}\nmessage B {\n  enum E { UNKNOWN = 0; }\n}\n"))
    }

    func testNonTypeSymbolsInAnInnerScopeDoNotHideOuterTypes() {
        // protoc looks up field types with LOOKUP_TYPES: the enum value A.Foo (a sibling of
        // enum E inside A) is skipped and "Foo" resolves to the message p.Foo.
        let source = h + "package p;\nmessage Foo {}\nmessage A {\n  enum E { Foo = 0; }\n  Foo f = 1;\n}\n"
        XCTAssertEqual(resolved(["test.proto": source])?.fieldType("p.A", "f"), .message("p.Foo"))
    }

    func testFieldNameMayNotRepeatANestedTypeOrEnumValueName() {
        // protoc: fields, nested types and enum values share their message's scope.
        let nested = compileError(h + "package t;\nmessage A {\n  message foo {}\n  int32 foo = 1;\n}\n")
        XCTAssertTrue(nested?.contains("\"foo\" is already defined") == true, nested ?? "accepted")
        let value = compileError(h + "package t;\nmessage A {\n  enum E { X = 0; }\n  int32 X = 1;\n}\n")
        XCTAssertTrue(value?.contains("\"X\" is already defined") == true, value ?? "accepted")
    }

    func testQualifiedTypeInsideAServiceWithAMethodOfTheSameName() {
        let source = h + """
            package pkg;
            message Job {}
            message Echo {}
            service S {
              rpc Job(pkg.Job) returns (.pkg.Job);
              rpc Echo(pkg.Echo) returns (pkg.Echo);
            }
            """
        assertContainsLines(generatedSwift(source), [
            "public typealias Input = Pkg_Job",
            "public typealias Output = Pkg_Job",
            "public typealias Input = Pkg_Echo",
            "public typealias Output = Pkg_Echo",
        ])
    }

    func testUnqualifiedTypeNamedLikeAMethodIsRejectedAsByProtoc() {
        // protoc resolves method types relative to the method, and methods are symbols of
        // their service: "Job" finds the method pkg.S.Job, which is not a message type.
        let source = h + "package pkg;\nmessage Job {}\nmessage Echo {}\nservice S {\n  rpc Echo(Job) returns (Job);\n  rpc Job(pkg.Echo) returns (pkg.Echo);\n}\n"
        let error = compileError(source)
        XCTAssertTrue(error?.hasPrefix("test.proto:6:12: \"Job\"") == true, error ?? "accepted")
    }

    func testFieldMayBeNamedLikeItsType() {
        let source = h + "package p;\nmessage Foo {}\nmessage A {\n  Foo Foo = 1;\n}\n"
        XCTAssertEqual(resolved(["test.proto": source])?.fieldType("p.A", "Foo"), .message("p.Foo"))
    }

    func testMethodTypesMustBeVisible() {
        let files = [
            "c.proto": h + "package c;\nmessage C {}\n",
            "b.proto": h + "package b;\nimport \"c.proto\";\n",
            "test.proto": h + "package a;\nimport \"b.proto\";\nservice S {\n  rpc M(c.C) returns (c.C);\n}\n",
        ]
        XCTAssertEqual(
            compileError(files),
            "test.proto:5:9: \"c.C\" seems to be defined in \"c.proto\", which is not imported by \"test.proto\"; add the import to use it here"
        )
    }

    func testDuplicateDefinitionAcrossFiles() {
        let files = [
            "a.proto": h + "package p;\nmessage M {}\n",
            "test.proto": h + "package p;\nimport \"a.proto\";\nmessage M {}\n",
        ]
        XCTAssertEqual(compileError(files), "test.proto:4:1: \"p.M\" is already defined in file \"a.proto\"")
    }
}
