using System.Reflection;
using System.Text.RegularExpressions;
using SimdDescent.Kernels;
using Xunit;

namespace SimdDescent.Tests.Kernels;

/// <summary>The naming rules of docs/api.md, checked over the public surface so a new kernel cannot drift from them.</summary>
public sealed partial class PublicNamingTests
{
    private static readonly Assembly Library = typeof(Blas).Assembly;

    /// <summary>Spans a kernel reads and updates in place, which keep their BLAS names (docs/api.md).</summary>
    private static readonly HashSet<string> InPlace =
    [
        "Blas.Axpy(y)", "Blas.Scale(x)", "Blas.Update(parameters)", "Blas.Update(state0)", "Blas.Update(state1)",
        "Blas.Update(state2)", "Gemm.Multiply(c)", "Gemm.MultiplyBiasActivation(c)",
    ];

    [Fact]
    public void Every_span_a_kernel_writes_is_its_destination()
    {
        var offenders = new List<string>();
        foreach (var type in Library.GetExportedTypes().Where(t => t.Namespace == "SimdDescent.Kernels" && t.IsAbstract && t.IsSealed))
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                foreach (var parameter in method.GetParameters().Where(p => IsWritableSpan(p.ParameterType)))
                {
                    var name = $"{type.Name}.{method.Name}({parameter.Name})";
                    if (parameter.Name is not "destination" && parameter.Name?.EndsWith("Destination", StringComparison.Ordinal) != true && !InPlace.Contains(name))
                    {
                        offenders.Add(name);
                    }
                }
            }
        }

        Assert.True(offenders.Count == 0, "Kernel outputs must be named destination (or <what>Destination when there are two): " + string.Join(", ", offenders));
    }

    [Fact]
    public void Public_names_spell_acronyms_as_words()
    {
        var offenders = new List<string>();
        foreach (var type in Library.GetExportedTypes())
        {
            offenders.AddRange(Names(type).Where(n => ShoutedAcronym().IsMatch(n)).Select(n => type.FullName + ": " + n));
        }

        Assert.True(offenders.Count == 0, "Acronyms of three letters or more are Pascal-cased (Relu, Gelu, Silu): " + string.Join(", ", offenders.Distinct()));
    }

    private static IEnumerable<string> Names(Type type)
    {
        yield return type.Name;
        foreach (var member in type.GetMembers(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        {
            yield return member.Name;
            if (member is MethodBase method)
            {
                foreach (var parameter in method.GetParameters())
                {
                    yield return parameter.Name ?? "";
                }
            }
        }
    }

    private static bool IsWritableSpan(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Span<>);

    /// <summary>Three capitals in a row, or a two-capital tail glued to a word (ReLU, SiLU); IO and DType are two-letter forms.</summary>
    [GeneratedRegex("[A-Z]{3}|[a-z][A-Z]{2}(?![a-z])")]
    private static partial Regex ShoutedAcronym();
}
