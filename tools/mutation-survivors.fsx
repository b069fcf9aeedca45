// Writes a run's section of docs/mutation-survivors.md: every mutant of a Stryker.NET run that no test detected (Survived
// or NoCoverage), each with the reason it is left. Usage, from the repository's root:
//   dotnet fsi tools/mutation-survivors.fsx src/Engine/StrykerOutput/<run>/reports/mutation-report.json... <commit> ["note"]
// Several reports of one commit (runs that mutated different files) make one section; a file in more than one counts from the
// last given, so a file run again replaces its earlier results. A run's report may be gzipped: those
// kept in docs/mutation-reports/<commit>/ are, so that a section can be written again from a fresh clone.
open System
open System.IO
open System.Text.Json

/// A class of surviving mutant: the mutants it covers (file, a fragment of the mutated line, a fragment of the mutator's
/// name or of its replacement; "" matches any) and why no test can, or need, detect them.
type Rule = { File: string; Line: string; Mutator: string; Reason: string }

let equivalent reason = "equivalent: " + reason
let assertsText test = "detected since this run: a test asserts the text this mutant empties (" + test + ")"
let killedBy test = "detected since this run, by hand: " + test
let notPinned = "message wording: the error's type, argument and the values it names are tested, not every word"
let fitsMemory = "tested outside Stryker's projects: the check that the tensors fit in memory needs a file larger than the memory, which the command-line hostile-input suite (tests/Engine.Cli.Tests, 256 MiB heap limit) provides"
let scopeSet = equivalent "the exporter sets the scope (the standardizer's or a layer's) before any name is made"
let connected = "defensive: every layer's exporter receives a value of its input's size (Network checks that layers connect)"

let rules =
    [ // Classes and the CRC: equivalents and messages first met in the run of c9ace35, true of every run since.
      { File = "Classes.cs"; Line = "(firstNumber < 0 || firstName < 0); i++)"; Mutator = "Equality"; Reason = equivalent "the search for the first number and the first name goes on after both are found (an index of 0 taken for not found yet); each is set only while it is −1, so later labels change neither" }
      { File = "Classes.cs"; Line = "\"class labels are integers 0..K−1 or names.\""; Mutator = "String"; Reason = notPinned }
      { File = "Classes.cs"; Line = "Enumerable.Range(0, largest + 1).First"; Mutator = "FirstOrDefault"; Reason = equivalent "a class is always missing there: the labels seen are fewer than largest + 1 distinct values in 0..largest, so First finds one" }
      { File = "Crc32.cs"; Line = ""; Mutator = ">>>"; Reason = equivalent "the register and the table entries are uints: >> and >>> shift in the same zeros" }
      { File = "Crc32.cs"; Line = "i + 8 <= bytes.Length"; Mutator = "Equality"; Reason = equivalent "the last 8 bytes are left to the byte-at-a-time loop after it: the same register (Facts.Data's CRC-32 fact checks every length 0..40)" }
      // The data readers (src/Engine/Data): choices that change no value read and no error raised.
      { File = "CsvReader.cs"; Line = "labelIndex = -1"; Mutator = "Unary"; Reason = equivalent "the label index's first value is replaced when the first row is added, before anything reads it" }
      { File = "CsvReader.cs"; Line = "if (width < 0)"; Mutator = "Equality"; Reason = equivalent "a record has at least one cell, so the width is never 0 once set" }
      { File = "CsvReader.cs"; Line = "options.Labelled && width >= 2 && labelIndex"; Mutator = "Logical"; Reason = equivalent "scikit-learn's line is weighed only for labelled rows, so the || is true when the && is: labelled rows are at least 2 wide once read (narrower ones are refused), and before any row the width is -1, which the label index test refuses" }
      { File = "CsvReader.cs"; Line = "no data rows{(headerCells is not null"; Mutator = ""; Reason = equivalent "no rows are left only after a header: without one, the first record is a row" }
      { File = "CsvReader.cs"; Line = "the first record is neither a header nor a data row"; Mutator = ""; Reason = "defensive: not reached: scikit-learn's line that does not match has a cell that is not a number in a feature column (its third or fourth of at least four), so reading it as a row throws first" }
      { File = "CsvReader.cs"; Line = "SkipLineBreaks();"; Mutator = "Statement"; Reason = equivalent "skipping blank lines a buffer at a time is a fast path: without it, ReadRecord reads each blank line as an empty record, which Next skips, counting the same line breaks" }
      { File = "CsvReader.cs"; Line = "while (position < filled || Fill())"; Mutator = ""; Reason = equivalent "skipping blank lines a buffer at a time is a fast path: stopped early, it leaves the blank lines to ReadRecord, which reads each as an empty record that Next skips, counting the same line breaks" }
      { File = "CsvReader.cs"; Line = "line++;"; Mutator = ""; Reason = equivalent "a lone CR that ends the input: no record follows whose line it could change" }
      { File = "CsvReader.cs"; Line = "return;"; Mutator = "Statement"; Reason = equivalent "at the input's end the loop stops anyway: nothing is left to read" }
      { File = "CsvReader.cs"; Line = "quote the whole field and double each quote"; Mutator = "String"; Reason = notPinned }
      { File = "DataFile.cs"; Line = "? $\"{bytes >>"; Mutator = "Bitwise"; Reason = equivalent "the size is positive there: >> and >>> shift in the same zeros" }
      { File = "DataFile.cs"; Line = "limit - delivered + 1"; Mutator = "Arithmetic"; Reason = equivalent "only how far past the limit the read that passes it goes: that read throws either way, and every read before it delivers the same bytes" }
      { File = "DataFile.cs"; Line = "leaveOpen: true"; Mutator = "Boolean"; Reason = equivalent "the decompressor then closes the file when it is disposed, which the stream does right after anyway; a second Dispose does nothing" }
      { File = "DataFile.cs"; Line = "checkedEnd = true"; Mutator = "Boolean"; Reason = equivalent "a read after the end checks the trailer again, with the same result" }
      { File = "DataFile.cs"; Line = "file.Length < 18"; Mutator = "Equality"; Reason = equivalent "no gzip member fits in 18 bytes (the smallest, of no data, takes 20), so such a file is refused either way as not valid gzip; only the message's words change" }
      { File = "DataFile.cs"; Line = "corrupted, has bytes after its end"; Mutator = "String"; Reason = notPinned }
      { File = "DataFile.cs"; Line = "inner is null ? new("; Mutator = "Conditional (false)"; Reason = equivalent "a null cause given to the exception's constructor is no cause" }
      { File = "DataFile.cs"; Line = "gzip.Dispose()"; Mutator = "Statement"; Reason = "not observable in a test: the decompressor's native buffers are freed by its finalizer instead; the file, which it leaves open, is closed on the next line" }
      { File = "DataFile.cs"; Line = "base.Dispose(disposing)"; Mutator = "Statement"; Reason = equivalent "Stream.Dispose(bool) does nothing" }
      { File = "IdxReader.cs"; Line = "count > Array.MaxLength"; Mutator = "Equality"; Reason = "not testable: a header of exactly Array.MaxLength values passes on to allocate them, 16 GiB of doubles" }
      { File = "IdxReader.cs"; Line = "var chunk = new byte["; Mutator = ""; Reason = equivalent "the chunk's size: any whole number of values, at least one, reads the same values" }
      // Functions continuous at the boundary the mutant moves.
      { File = "Elu.cs"; Line = "z > 0"; Mutator = "Equality"; Reason = equivalent "at z = 0 both branches give 0 (value) and 1 (derivative)" }
      { File = "LeakyRelu.cs"; Line = "z > 0 ? z"; Mutator = "Equality"; Reason = equivalent "at z = 0 both branches give 0" }
      { File = "Sigmoid.cs"; Line = "z >= 0 ? r : e * r"; Mutator = "Equality"; Reason = equivalent "at z = 0, e = 1 and both branches give 1/2" }
      // Loop bounds whose extra or missing iteration does nothing.
      { File = ""; Line = "+ Lanes <="; Mutator = "Equality"; Reason = equivalent "the scalar tail computes the elements the vector loop leaves" }
      { File = ""; Line = "+ 4 * Lanes <="; Mutator = "Equality"; Reason = equivalent "the following loops compute the elements this one leaves" }
      { File = "SafeTensors.cs"; Line = "start < tensor.Values.Length"; Mutator = "Equality"; Reason = equivalent "the extra pass writes 0 values" }
      { File = "CsvReader.cs"; Line = "width >= 0 && row.Length"; Mutator = "Equality"; Reason = equivalent "a parsed row has at least one field, so width is never 0 there" }
      { File = "Pool2D.cs"; Line = "stride <= 0"; Mutator = "Equality"; Reason = equivalent "the public constructors turn a stride of 0 into the window size before this check" }
      { File = "PerceptronTrick.cs"; Line = "learningRate * error"; Mutator = "Arithmetic"; Reason = equivalent "the error is ±1, so η·e = η/e" }
      { File = "Split.cs"; Line = "OrderBy"; Mutator = "Linq"; Reason = equivalent "visiting the classes in the other order draws another, equally stratified split; which one a seed gives is not specified" }
      { File = "Sgd.cs"; Line = "IsPositiveInfinity(bestLoss)"; Mutator = ""; Reason = equivalent "restores the initial parameters only when every validation loss was +∞ or NaN, which the loss's clamped logarithms and the divergence checks prevent" }
      { File = "GradientCheck.cs"; Line = "error >= maxError"; Mutator = "Equality"; Reason = equivalent "only which of two equal errors is named" }
      { File = "GradientCheck.cs"; Line = "1e-3 * Math.Max"; Mutator = "Arithmetic"; Reason = equivalent "a smaller step for |θ| > 1: the stencil stays accurate to the tolerance" }
      { File = "ModelFile.cs"; Line = "flushToDisk"; Mutator = ""; Reason = equivalent "durability on power loss, not observable in a test" }
      { File = "ModelFile.cs"; Line = "stream.Flush()"; Mutator = ""; Reason = equivalent "durability: the file stream is flushed to disk right after, and disposed" }
      { File = "Huber.cs"; Line = "r <= Delta"; Mutator = "Equality"; Reason = equivalent "at r = δ both branches give δ²/2" }
      { File = "CategoricalCrossEntropy.cs"; Line = "> SumTolerance"; Mutator = "Equality"; Reason = equivalent "only a target row whose sum is off by exactly the 1e-9 rounding allowance is judged differently" }
      // The matrix products: choices of speed whose every alternative computes the same outputs.
      { File = "MatrixProducts.cs"; Line = "m >= PackedProduct.MicroRows"; Mutator = "Equality"; Reason = equivalent "chooses between two correct loops (the one-row dot loop or the packed kernel): the same outputs up to summation order" }
      { File = "MatrixProducts.cs"; Line = "if (m == 0 || n == 0) return;"; Mutator = ""; Reason = equivalent "an early exit: for an empty C the loops below do nothing" }
      { File = "PackedProduct.cs"; Line = "int blocks ="; Mutator = "Arithmetic"; Reason = equivalent "another blocking of the shared dimension: the same sum in another order, within the 1e-12 bound" }
      { File = "PackedProduct.cs"; Line = "int blockDepth ="; Mutator = "Arithmetic"; Reason = equivalent "another blocking of the shared dimension: the same sum in another order, within the 1e-12 bound" }
      { File = "PackedProduct.cs"; Line = "for (int"; Mutator = "Equality"; Reason = equivalent "an extra pass over an empty block or strip, which stores nothing" }
      { File = "PackedProduct.cs"; Line = "int packedFrom"; Mutator = ""; Reason = equivalent "packs every strip instead of reading whole ones in place: the same values, more copying" }
      { File = "PackedProduct.cs"; Line = "pinned: true"; Mutator = "Boolean"; Reason = "not observable in a test: an unpinned buffer breaks only if the GC moves it during a product" }
      { File = "PackedProduct.cs"; Line = "live == width"; Mutator = "Equality"; Reason = equivalent "transposes only cut strips: their extra columns feed outputs that are not stored" }
      { File = "PackedProduct.cs"; Line = "p + 4 <= depth"; Mutator = ""; Reason = equivalent "the scalar loop after it packs the shared indices the transposes leave (or re-packs those they overran)" }
      { File = "PackedProduct.cs"; Line = "to[r] = 0.0"; Mutator = ""; Reason = equivalent "the padding columns of a cut strip feed only outputs that are not stored" }
      { File = "ProductThreads.cs"; Line = ""; Mutator = "Block removal"; Reason = "defensive: a worker forwards an exception (e.g. out of memory) instead of deadlocking; the kernel does not throw in a test" }
      { File = "ProductThreads.cs"; Line = "new Thread(Loop)"; Mutator = ""; Reason = "not observable in a test: a foreground or unnamed worker changes only process exit and debugging" }
      { File = "ProductThreads.cs"; Line = "ManualResetEventSlim"; Mutator = ""; Reason = "gone: the events were replaced by semaphores after this run (commit 5a50507)" }
      { File = "ProductThreads.cs"; Line = ""; Mutator = ""; Reason = equivalent "how many threads share a product, or whether it runs on one: every output is computed the same way (bit-identical by design, Facts.Kernels and Facts.Training)" }
      { File = "StridedOperand.cs"; Line = "this[int row, int column]"; Mutator = ""; Reason = "gone: the indexer was unused and removed after this run" }
      { File = "VectorOps.cs"; Line = "i + Lanes <= x.Length; i += Lanes)"; Mutator = "Arithmetic"; Reason = equivalent "the vector pre-scan reads past the span but stops where the scalar scan starts; a value past the span is never reported" }
      { File = ""; Line = "hash"; Mutator = ""; Reason = equivalent "the kink fingerprint still changes exactly when a side changes (a flipped label, another constant), or differs only for a value exactly on a kink" }
      { File = "Conv2D.cs"; Line = "new Parameter("; Mutator = "String"; Reason = equivalent "the parameter's name, used the same way on save and load" }
      { File = "GradientCheck.cs"; Line = "worst = \"-\""; Mutator = "String"; Reason = equivalent "the placeholder label of a group, replaced by the first value checked" }
      { File = "ProductThreads.cs"; Line = "Engine product worker"; Mutator = "String"; Reason = "not observable in a test: the worker thread's name, for debuggers" }
      // Names of graph constants, defaults the caller always replaces, orders and buffers that change no output.
      { File = "Elementwise.cs"; Line = "graph.Constant("; Mutator = "String"; Reason = equivalent "the name of a constant inside its layer's scope: any name the builder makes unique computes the same (ONNX Runtime facts compare the outputs)" }
      { File = "OnnxExport.cs"; Line = "GetName().Version?.ToString() ?? \"\""; Mutator = "Stryker was here"; Reason = equivalent "the engine's assembly always has a version; the fallback is never taken" }
      { File = "Messages.cs"; Line = "dimension.Symbol ?? \"\""; Mutator = ""; Reason = equivalent "a symbolic dimension always has its name (the batch); the fallback is never taken" }
      { File = "OnnxGraphBuilder.cs"; Line = "Scope { get; set; } = \"\""; Mutator = "String"; Reason = scopeSet }
      { File = "OnnxGraphBuilder.cs"; Line = "Scope.Length == 0 ? name"; Mutator = ""; Reason = scopeSet }
      { File = "OnnxGraphBuilder.cs"; Line = "!names.Add(candidate); i++"; Mutator = ""; Reason = equivalent "a repeated name gets the suffix _-1, _-2 … instead of _1, _2 …: still unique" }
      { File = "OnnxGraphBuilder.cs"; Line = "value.Size != shape.Size"; Mutator = ""; Reason = connected }
      { File = "OnnxGraphBuilder.cs"; Line = "throw new ArgumentException($\"{Scope}: a value of"; Mutator = ""; Reason = connected }
      { File = "ProtobufWriter.cs"; Line = "value >>= 7"; Mutator = ""; Reason = equivalent "the value is a ulong: >> and >>> shift in the same zeros" }
      { File = "ProtobufWriter.cs"; Line = "Array.Resize(ref buffer"; Mutator = ""; Reason = equivalent "when and by how much the buffer grows: the same bytes are written" }
      { File = "AtomicFile.cs"; Line = "flushToDisk"; Mutator = ""; Reason = equivalent "durability on power loss, not observable in a test" }
      { File = ""; Line = "1 << 16"; Mutator = "Bitwise"; Reason = equivalent "the read buffer's size (0: unbuffered): the same bytes are read" }
      { File = ""; Line = "writable: false"; Mutator = "Boolean"; Reason = equivalent "the stream over the file's bytes is only read" }
      { File = "SafeTensors.cs"; Line = "metadata.OrderBy"; Mutator = "Linq"; Reason = equivalent "any fixed key order makes equal models equal bytes; readers look entries up by key" }
      { File = "SafeTensors.cs"; Line = "start < destination.Length"; Mutator = "Equality"; Reason = equivalent "the extra pass reads 0 values" }
      { File = "SafeTensors.cs"; Line = "e.End > e.Begin"; Mutator = "Equality"; Reason = equivalent "an empty tensor covers no bytes, listed among the spans or not" }
      { File = "SafeTensors.cs"; Line = "elements > Array.MaxLength"; Mutator = "Equality"; Reason = equivalent "a tensor of exactly Array.MaxLength values (16 GiB) is refused by the file-size checks that follow" }
      { File = "SafeTensors.cs"; Line = "throw new ArgumentException($\"destination must hold"; Mutator = ""; Reason = "defensive: the readers size each destination from the entry they read" }
      { File = "LayerSettings.cs"; Line = "i > 0)"; Mutator = "Equality"; Reason = equivalent "a 0 in the pair is then refused by the layer's constructor, a FormatException naming the layer: only the message's words change" }
      { File = ""; Line = "long bytes = 8L *"; Mutator = ""; Reason = fitsMemory }
      { File = ""; Line = "if (bytes > available)"; Mutator = ""; Reason = fitsMemory }
      { File = "ModelFile.cs"; Line = "bytes of parameters exceed"; Mutator = ""; Reason = fitsMemory }
      { File = "GradientDiagnostics.cs"; Line = "FirstOrDefault(p => p.Name =="; Mutator = "Linq"; Reason = equivalent "every layer with parameters (Dense, Conv2D) has both a weight and a bias" }
      { File = "GradientDiagnostics.cs"; Line = "probe.Layer.BatchSize > 0"; Mutator = ""; Reason = equivalent "Observe follows a backward pass, so the layer always holds a batch when it is measured" }
      { File = "GradientDiagnostics.cs"; Line = "activated is not null && measured"; Mutator = ""; Reason = equivalent "every layer with parameters is an activated layer, and Observe follows a backward pass, so both hold" }
      { File = ""; Line = "ToString(\"R\""; Mutator = "String"; Reason = equivalent "since .NET Core 3.0 the default format of a double is its shortest round-trip form, as \"R\"" }
      { File = "CheckpointFile.cs"; Line = "slash < 0 ? \"\""; Mutator = "String"; Reason = equivalent "any name that is not a group's is refused the same way" }
      { File = "CheckpointFile.cs"; Line = "slash < 0 ? \"\""; Mutator = "Equality"; Reason = equivalent "a name that starts with '/' has the empty group either way" }
      // The two gaps this run left: one detected since, by hand, the other equivalent after all.
      { File = "CheckpointFile.cs"; Line = "slash < 0 ? \"\""; Mutator = "Conditional"; Reason = killedBy "Facts.Serialization: a checkpoint tensor named outside the three groups, with no group at all included, is a format error naming it" }
      { File = "ModelFile.cs"; Line = "means is not null && deviations is not null"; Mutator = ""; Reason = equivalent "the standardizer's two tensors are read together or not at all: a file holding one of them is refused as unexpected first (Facts.Serialization: a model file holding one of the standardizer's two tensors is refused)" }
      { File = ""; Line = "?? \"null\")"; Mutator = "String"; Reason = notPinned }
      { File = "ModelFile.cs"; Line = "Components.Decode(lossText"; Mutator = "String"; Reason = notPinned }
      // Messages: the throw and its argument are asserted; the rest of the text is not.
      { File = ""; Line = "throw"; Mutator = "String mutation"; Reason = notPinned }
      { File = ""; Line = "Exception("; Mutator = "String mutation"; Reason = notPinned }
      { File = ""; Line = "throw"; Mutator = "Conditional"; Reason = notPinned }
      { File = ""; Line = "Malformed("; Mutator = "String mutation"; Reason = notPinned }
      { File = ""; Line = "$\"{Scope}: the activation"; Mutator = "String mutation"; Reason = notPinned }
      { File = ""; Line = "Training setting '"; Mutator = "String mutation"; Reason = notPinned }
      { File = ""; Line = "throw new"; Mutator = "Arithmetic"; Reason = notPinned }
      { File = ""; Line = "?? \"missing\""; Mutator = "Null coalescing"; Reason = notPinned }
      { File = ""; Line = "?? \"null\""; Mutator = "Null coalescing"; Reason = notPinned } ]

/// The fact that detects the standardizer's deviation squared as (x + m)(x − m): equal to (x − m)² in exact arithmetic, so
/// the runs of e8c3b55 and c9ace35 first classed it equivalent, but it rounds products of about 2m·(x − m).
let exactDeviation = "Facts.Data: the standardizer's deviation is exact where the mean is large against the spread (Σ(x + m)(x − m), equal to Σ(x − m)² in exact arithmetic, is off by 5e-7 about a mean of 2^30)"

/// Rules of the run at commit e8c3b55 only: mutants that run left undetected and tests added after it detect (each
/// re-applied by hand and failed by the named test, or an emptied message whose text a test now asserts).
let sinceE8c3b55 =
    [ { File = "MatrixProducts.cs"; Line = "Guard."; Mutator = "Statement"; Reason = killedBy "Facts.Kernels: every product checks its dimensions and each of its three buffers" }
      { File = "VectorOps.cs"; Line = "for (; i < x.Length; i++)"; Mutator = "Equality"; Reason = killedBy "Facts.Kernels: the finiteness scan reads only its span" }
      { File = "Split.cs"; Line = "i * data.TargetWidth"; Mutator = "Arithmetic"; Reason = killedBy "Facts.Data: a stratified split keeps the original order and stratifies by each row's first target" }
      { File = "Conv2D.cs"; Line = "kernelWidth <= 0"; Mutator = "Equality"; Reason = killedBy "Facts.Networks: zero-sized kernels and images are refused by name" }
      { File = "ImageShape.cs"; Line = "Height > 0"; Mutator = "Equality"; Reason = killedBy "Facts.Networks: zero-sized kernels and images are refused by name" }
      { File = "Pool2D.cs"; Line = "size <= 0"; Mutator = "Equality"; Reason = killedBy "Facts.Networks: zero-sized kernels and images are refused by name" }
      { File = "Sgd.cs"; Line = "IsFinite(cost)"; Mutator = "Statement"; Reason = killedBy "Facts.Training: divergence names the batch where the loss overflowed" }
      { File = "GradientCheck.cs"; Line = "h = (theta + h) - theta"; Mutator = "Arithmetic"; Reason = killedBy "Facts.Verification: a wrong derivative fails, the right one passes" }
      { File = "GradientCheck.cs"; Line = "hash = hash * 31 + (z > kink"; Mutator = "hash / 31"; Reason = killedBy "Facts.Verification: a stencil is skipped when only an earlier unit crosses its kink (hash / 31)" }
      { File = "GradientCheck.cs"; Line = "hash = hash * 31 + (loss.KinkOffset"; Mutator = "hash / 31"; Reason = killedBy "Facts.Verification: a stencil is skipped when only an earlier output crosses the loss's corner" }
      { File = "Dataset.cs"; Line = ""; Mutator = "String"; Reason = assertsText "Facts.Training: settings, labels, layer kinds and classification rules are refused in words" }
      { File = "Loss.cs"; Line = ""; Mutator = "String"; Reason = assertsText "Facts.Training: settings, labels, layer kinds and classification rules are refused in words" }
      { File = "LayerSpec.cs"; Line = ""; Mutator = "String"; Reason = assertsText "Facts.Training: settings, labels, layer kinds and classification rules are refused in words" }
      { File = "SgdOptions.cs"; Line = ""; Mutator = "String"; Reason = assertsText "Facts.Training: settings, labels, layer kinds and classification rules are refused in words" }
      { File = "TrainingDivergedException.cs"; Line = ""; Mutator = "String"; Reason = assertsText "Facts.Training: settings, labels, layer kinds and classification rules are refused in words" }
      { File = "IdxReader.cs"; Line = ""; Mutator = "String"; Reason = assertsText "Facts.Data: IDX edges" }
      { File = "ModelFile.cs"; Line = ""; Mutator = "String"; Reason = assertsText "Facts.Serialization: each malformed header or model names what is wrong, in words" }
      { File = "SafeTensors.cs"; Line = ""; Mutator = "String"; Reason = assertsText "Facts.Serialization: each malformed header or model names what is wrong, in words" }
      { File = "Sgd.cs"; Line = ""; Mutator = "String"; Reason = assertsText "Facts.Training: divergence names the batch where the loss overflowed" }
      { File = "Standardizer.cs"; Line = "(row[j] - means[j]) * (row[j] - means[j])"; Mutator = "Arithmetic"; Reason = killedBy exactDeviation } ]

/// Rules of the run at commit a99dc8a only: mutants that run left undetected and the facts added with these rules detect.
let sinceA99dc8a =
    let graph = "Interop GraphFacts: the model names its producer and version and describes the network; the graph and every node are named"
    let messages = "Interop GraphFacts: a model writes its doc string only when there is one, an opset's domain only when it is not the default, and each metadata entry"
    let nulls = "Facts.Serialization, Facts.Diagnostics, Interop GraphFacts: null arguments are refused by name"
    let settings = "Facts.Serialization: training settings read back as written, an unset gradient limit included; names resolve in the registries given; invalid settings are format errors"
    [ { File = ""; Line = "ArgumentNullException.ThrowIfNull"; Mutator = "Statement"; Reason = killedBy nulls }
      { File = "Messages.cs"; Line = "writer.String(2, ProducerName)"; Mutator = ""; Reason = killedBy graph }
      { File = "Messages.cs"; Line = "writer.String(3, ProducerVersion)"; Mutator = ""; Reason = killedBy graph }
      { File = "Messages.cs"; Line = "writer.String(2, Name)"; Mutator = ""; Reason = killedBy graph }
      { File = "Messages.cs"; Line = "writer.String(3, Name)"; Mutator = ""; Reason = killedBy graph }
      { File = "Messages.cs"; Line = "DocString"; Mutator = ""; Reason = killedBy messages }
      { File = "Messages.cs"; Line = "Domain"; Mutator = ""; Reason = killedBy messages }
      { File = "Messages.cs"; Line = "writer.Message(14"; Mutator = ""; Reason = killedBy messages }
      { File = "Messages.cs"; Line = "entry.String("; Mutator = ""; Reason = killedBy messages }
      { File = "Messages.cs"; Line = "CheckCount(dims, values.Length)"; Mutator = ""; Reason = killedBy "Interop ProtobufFacts: an int64 tensor whose dims do not hold its values is rejected" }
      { File = "Elementwise.cs"; Line = "\"axis\", -1"; Mutator = ""; Reason = killedBy graph }
      { File = "OnnxExport.cs"; Line = "precision"; Mutator = ""; Reason = killedBy graph }
      { File = "OnnxExport.cs"; Line = "new ModelProto("; Mutator = "String mutation → \"\""; Reason = killedBy graph }
      { File = "OnnxExport.cs"; Line = "$\"A {string.Join"; Mutator = ""; Reason = killedBy graph }
      { File = "OnnxExport.cs"; Line = "standardizer is null ? \".\""; Mutator = ""; Reason = killedBy graph }
      { File = "OnnxExport.cs"; Line = "graph.Build(\"network\""; Mutator = ""; Reason = killedBy graph }
      { File = "OnnxGraphBuilder.cs"; Line = "ElementType { get; } = elementType is"; Mutator = ""; Reason = killedBy "Interop GraphFacts: a model's element type is Float or Double" }
      { File = "OnnxExport.cs"; Line = "layers ??="; Mutator = ""; Reason = killedBy "Interop GraphFacts: ToModel looks layers and activations up in the registries given" }
      { File = "OnnxExport.cs"; Line = "activations ??"; Mutator = ""; Reason = killedBy "Interop GraphFacts: ToModel looks layers and activations up in the registries given" }
      { File = "Conv2DExporter.cs"; Line = "graph.Constant("; Mutator = "String"; Reason = killedBy "Interop GraphFacts: a convolution's kernels and biases are named as in the model file" }
      { File = "TrainingOptionsCodec.cs"; Line = "optimizers ??"; Mutator = "Null coalescing"; Reason = killedBy settings }
      { File = "TrainingOptionsCodec.cs"; Line = "schedules ??"; Mutator = "Null coalescing"; Reason = killedBy settings }
      { File = "TrainingOptionsCodec.cs"; Line = "json[\"max_gradient_norm\"] is null"; Mutator = "Conditional"; Reason = killedBy settings }
      { File = "TrainingOptionsCodec.cs"; Line = "options.Validate()"; Mutator = "Statement"; Reason = killedBy settings }
      { File = "GradientDiagnostics.cs"; Line = "size > 0 ? moved / size"; Mutator = ""; Reason = killedBy "Facts.Diagnostics: the update ratio of weights that were all zero is 0 while they stay zero and +∞ once they move" }
      { File = "Topology.cs"; Line = "codecs"; Mutator = ""; Reason = killedBy "Facts.Serialization: layer codecs are looked up in the registry given" }
      { File = "Topology.cs"; Line = "Unknown layer type"; Mutator = "Statement"; Reason = killedBy "Facts.Serialization: layer codecs are looked up in the registry given" }
      { File = "CheckpointFile.cs"; Line = "v.TryGetValue(out int i) && i >= 0"; Mutator = ""; Reason = killedBy "Facts.Serialization: a checkpoint taken before the first epoch, its counters 0, loads" }
      { File = "GradientDiagnostics.cs"; Line = "s[4]"; Mutator = ""; Reason = killedBy "Facts.Diagnostics: Mean averages each statistic over the steps observed since Reset (saturated units after Reset)" }
      { File = "ModelFile.cs"; Line = "IndexedLabels ? \"indices\""; Mutator = ""; Reason = killedBy "Facts.Serialization: classes that are label indices, and two classes of a one-output network, read back as saved" }
      { File = "ModelFile.cs"; Line = "kind == \"indices\""; Mutator = ""; Reason = killedBy "Facts.Serialization: classes that are label indices, and two classes of a one-output network, read back as saved" }
      { File = "ModelFile.cs"; Line = "FitsOutputs"; Mutator = ""; Reason = killedBy "Facts.Serialization: classes that are label indices, and two classes of a one-output network, read back as saved" }
      { File = "GradientDiagnostics.cs"; Line = "Array.Clear(sums)"; Mutator = ""; Reason = killedBy "Facts.Diagnostics: Mean averages each statistic over the steps observed since Reset (saturated units after Reset)" } ]

/// Rules of the run at commit 3b7e27a only (Schedules/): the survivors the facts of tests/Engine.Facts/Schedules.fs detect,
/// each re-applied by hand and failed by the fact. Two of them are the whole check of a setting (its condition replaced by
/// true), which the general rule for a conditional mutation on a throwing line would call wording.
let since3b7e27a =
    let refused = "Facts.Schedules: each schedule refuses a setting outside its domain by name, with the value given and the domain in words"
    [ { File = "CosineAnnealing.cs"; Line = "etaMin >= 0 && double.IsFinite(etaMin)"; Mutator = ""; Reason = killedBy refused }
      { File = "CosineAnnealing.cs"; Line = "tMax >= 0 ? tMax"; Mutator = "String"; Reason = killedBy refused }
      { File = "Exponential.cs"; Line = "gamma > 0 && double.IsFinite(gamma)"; Mutator = "String"; Reason = killedBy refused }
      { File = "LinearWarmup.cs"; Line = "throw new ArgumentOutOfRangeException"; Mutator = "String"; Reason = killedBy refused }
      { File = "StepDecay.cs"; Line = "stepSize >= 1 ? stepSize"; Mutator = "String"; Reason = killedBy refused }
      { File = "StepDecay.cs"; Line = "gamma > 0 && double.IsFinite(gamma)"; Mutator = ""; Reason = killedBy refused } ]

/// Rules of the run at commit a4ea43b only: the data readers' mutants that run left undetected and the facts added with these
/// rules detect (each re-applied by hand and failed by the named fact).
let sinceA4ea43b =
    let fact name = killedBy ("Facts.Data: " + name)
    [ { File = "CsvReader.cs"; Line = "ArgumentNullException.ThrowIfNull(reader)"; Mutator = "Statement"; Reason = fact "CSV input that is empty is named so, and a null reader is refused by name" }
      { File = "CsvReader.cs"; Line = "if (!records.Next()) throw"; Mutator = "Statement"; Reason = fact "CSV input that is empty is named so, and a null reader is refused by name" }
      { File = "CsvReader.cs"; Line = "bool descriptor ="; Mutator = "Logical"; Reason = fact "a declared absent header makes scikit-learn's line data, whose names are then the error" }
      { File = "CsvReader.cs"; Line = "firstRecord: false"; Mutator = "Boolean"; Reason = fact "a cell error says whether it is in the first record, scikit-learn's line that did not match included" }
      { File = "CsvReader.cs"; Line = "new TableBuilder(source, options).Add(first"; Mutator = "Boolean"; Reason = fact "a cell error says whether it is in the first record, scikit-learn's line that did not match included" }
      { File = "CsvReader.cs"; Line = "header ? first : null"; Mutator = "Conditional"; Reason = fact "without a header a table has no column names, and a declared header is never scikit-learn's line" }
      { File = "CsvReader.cs"; Line = "Hold(32 + 2L *"; Mutator = "Arithmetic"; Reason = fact "a label's string is counted at 2 bytes a character against the limit" }
      { File = "CsvReader.cs"; Line = "private string Named(int column)"; Mutator = ""; Reason = fact "a CSV message names the header's column where it has one, and none past a short header" }
      { File = "CsvReader.cs"; Line = "header.Length > 20"; Mutator = ""; Reason = fact "the label column's alternatives list a header of 20 names whole" }
      { File = "CsvReader.cs"; Line = "headerCells is not null && labelIndex >= 0"; Mutator = "Equality"; Reason = fact "a header names the features and the label column wherever it is, and only features without one" }
      { File = "CsvReader.cs"; Line = "if (Peek() < 0) return false;"; Mutator = "Equality"; Reason = fact "a NUL character is text: it starts a record and stays inside a quoted field" }
      { File = "CsvReader.cs"; Line = "if (c < 0) throw"; Mutator = "Equality"; Reason = fact "a NUL character is text: it starts a record and stays inside a quoted field" }
      { File = "CsvReader.cs"; Line = "next >= 0 &&"; Mutator = "Equality"; Reason = fact "a NUL character after a closing quote is text after it" }
      { File = "DataFile.cs"; Line = "int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false)"; Mutator = "Boolean"; Reason = fact "files of no byte or one byte open as plain data" }
      { File = "DataFile.cs"; Line = "return file.ReadAtLeast(magic, 2, throwOnEndOfStream: false)"; Mutator = "Boolean"; Reason = fact "files of no byte or one byte open as plain data" }
      { File = "DataFile.cs"; Line = "magic[1] == 0x8B"; Mutator = ""; Reason = fact "a file is gzip only when both of its first two bytes are gzip's" }
      { File = "DataFile.cs"; Line = "file.Dispose();"; Mutator = "Statement"; Reason = fact "a data file is closed once its stream is disposed or refused, plain or gzip'd" }
      { File = "DataFile.cs"; Line = "if (disposing)"; Mutator = ""; Reason = fact "a data file is closed once its stream is disposed or refused, plain or gzip'd" }
      { File = "DataFile.cs"; Line = "inner is null ? new("; Mutator = "Conditional (true)"; Reason = fact "a gzip file the decompressor refuses keeps the decompressor's error as the cause" }
      { File = "DataFile.cs"; Line = "inner is null ? new("; Mutator = "Equality"; Reason = fact "a gzip file the decompressor refuses keeps the decompressor's error as the cause" }
      { File = "IdxReader.cs"; Line = "{4 + got} bytes"; Mutator = "Arithmetic"; Reason = fact "IDX size messages count bytes: the header's length and the bytes the values take" }
      { File = "IdxReader.cs"; Line = "but only {start * size + got} bytes"; Mutator = "Arithmetic"; Reason = fact "an IDX file truncated after the reader's first chunk counts the bytes that follow its header" }
      { File = "IdxReader.cs"; Line = "more bytes follow the {count} values"; Mutator = "Arithmetic"; Reason = fact "IDX size messages count bytes: the header's length and the bytes the values take" } ]

/// Rules of the run at commit c9ace35 only (Classes, Crc32, DataTable, Dataset, Split and Standardizer in src/Engine/Data):
/// the survivors the facts added after it detect (tests/Engine.Facts/Classes.fs and Data.fs, each re-applied by hand and
/// failed by the named fact), and the equivalent ones.
let sinceC9ace35 =
    let fact name = killedBy ("Facts.Classes: " + name)
    let mix = fact "a mix of names and numbers is refused wherever the first name is, naming the first of each"
    let single = fact "labels that are all one name or all 0 are a single class, named"
    let missing = fact "a class missing just below the largest label is named, at the line where the largest label first occurs"
    [ { File = "Classes.cs"; Line = "no rows to take the classes from"; Mutator = ""; Reason = fact "a table without rows has no classes to take, and says so" }
      { File = "Classes.cs"; Line = "(firstNumber < 0 || firstName < 0); i++)"; Mutator = "firstNumber > 0"; Reason = mix }
      { File = "Classes.cs"; Line = "if (firstNumber < 0) firstNumber = i"; Mutator = "Equality"; Reason = mix }
      { File = "Classes.cs"; Line = "else if (firstName < 0) firstName = i"; Mutator = "Equality"; Reason = mix }
      { File = "Classes.cs"; Line = "throw OneClass(table, $\"'{names[0]}'\")"; Mutator = ""; Reason = single }
      { File = "Classes.cs"; Line = "int largest = -1"; Mutator = "Unary"; Reason = single }
      { File = "Classes.cs"; Line = "if (label > largest)"; Mutator = "Equality"; Reason = missing }
      { File = "Classes.cs"; Line = "Enumerable.Range(0, largest + 1).First"; Mutator = "Arithmetic"; Reason = missing }
      { File = "Split.cs"; Line = "random.Shuffle(members)"; Mutator = "Statement"; Reason = killedBy "Facts.Data: a stratified split shuffles each class with its seed" }
      { File = "Standardizer.cs"; Line = "(row[j] - means[j]) * (row[j] - means[j])"; Mutator = "Arithmetic"; Reason = killedBy exactDeviation } ]

/// Rules of the run at commit 27b2354 only: the kernels' survivors that the facts added after it detect, and the speed
/// choices of the kernels that run first met.
let since27b2354 =
    let guards = killedBy "Facts.Kernels: every internal kernel and naive twin checks each buffer, the row stride and the thread count by name"
    let twins = killedBy "Facts.Kernels: the naive twins of the fused SGD row step and of the finiteness scan give every output their kernels give"
    let spans = killedBy "Facts.Kernels: the vector kernels read and write only their spans, whole vectors, tails and thread ranges alike"
    let poolingBound = equivalent "the bound of the pooling's vector path, which keeps its loads inside the image: a tighter one leaves more windows to the scalar loop, a looser one loads, for windows past the row, lanes no output takes (reads past the span, in a test within the batch's buffer)"
    let encoding = killedBy "Facts.Losses: each classification loss encodes a class as its targets and predicts it back, and refuses labels and widths that do not fit"
    let kinkAndScale = killedBy "Facts.Losses: the margin losses' kink lies where target times output reaches the margin, and the squared error's scale must be defined"
    let slopes = killedBy "Facts.Activations: ELU's alpha and the flat tails' peak slope are refused unless positive and finite, and each saturation rule says its threshold"
    let hyperparameters = killedBy "Facts.Hyperparameters: a defining constructor's parameter needs a same-named public property of its type, a supported type and a range; summaries; values parsed by name and refused in words; an argument exception's reason"
    let stateNames = killedBy "Facts.Optimizers: each optimizer keeps its state under PyTorch's names: SGD a momentum_buffer only with a momentum"
    let restoring = killedBy "Facts.Optimizers: restoring refuses … a tensor of no parameter (naming the state's tensors, step last) …; a fresh state, of step 0, restores"
    let decayScratch = equivalent "the scratch buffer of coupled weight decay allocated where no coupled decay is applied: the same updates, more memory"
    let paddingColumns = equivalent "the padding columns past the batch are cleared twice, in the column matrix (Conv2D.cs:110) and in δ (Conv2D.cs:153), and either alone makes their products 0 in the kernel gradient: the other holds finite values (inputs are refused unless finite) or the forward product's zeros"
    let portable = "not covered here: the portable micro-kernel runs where 512-bit FMAs are not accelerated, which .ci/run's width checks (DOTNET_PreferredVectorBitWidth=256, DOTNET_EnableAVX=0) test outside Stryker"
    let scratchStride = equivalent "the row stride of a scratch matrix (rounded up to whole tiles, and a tile more where rows would alias in the cache): any stride of at least the row's length holds the same values"
    let split = equivalent "how a batch's items are split between threads, or whether the work runs on one: each item is computed the same way on any thread (bit-identical by design, Facts.Kernels and Facts.Training)"
    [ for file in [ "ChannelLayout.cs"; "ConvolutionPasses.cs"; "ImageColumns.cs"; "NaiveProducts.cs"; "NaiveVectorOps.cs"; "RowProducts.cs"; "VectorOps.cs"; "Guard.cs" ] do
          for line in [ "Check("; "CheckBatch("; "Guard."; "Shapes(" ] do
              { File = file; Line = line; Mutator = ""; Reason = guards }
      { File = "NaiveRowProducts.cs"; Line = "NaiveProducts.MultiplyTransposedB(next"; Mutator = ""; Reason = twins }
      { File = "NaiveVectorOps.cs"; Line = "i < x.Length; i++"; Mutator = ""; Reason = twins }
      { File = "NaiveVectorOps.cs"; Line = "return -1"; Mutator = ""; Reason = twins }
      { File = "ConvolutionPasses.cs"; Line = "RangeThreads.Run("; Mutator = "Arithmetic"; Reason = split }
      { File = "ConvolutionPasses.cs"; Line = "ChunkOf(in"; Mutator = ""; Reason = equivalent "how many samples one fused im2col-and-product pass takes (at least one): the same columns and outputs, another cache footprint" }
      { File = "ConvolutionPasses.cs"; Line = "first < end; first += chunk"; Mutator = "Equality"; Reason = equivalent "an extra pass that starts at the end takes no sample" }
      { File = "ConvolutionPasses.cs"; Line = "PackedProduct.Run(task, first"; Mutator = "Arithmetic"; Reason = equivalent "the product also recomputes earlier chunks' columns, whose im2col values are still in place: the same outputs, stored again" }
      { File = "ImageColumns.cs"; Line = "if (width <= 0) return;"; Mutator = ""; Reason = equivalent "an early exit: for no column the copy loops below do nothing" }
      { File = "MatrixProducts.cs"; Line = "j + 4 <= n"; Mutator = "Equality"; Reason = equivalent "the following loops compute the elements this one leaves" }
      { File = "MatrixProducts.cs"; Line = "int length = (columns + tile - 1)"; Mutator = ""; Reason = scratchStride }
      { File = "MatrixProducts.cs"; Line = "% 1024 == 0 ? length + tile"; Mutator = ""; Reason = scratchStride }
      { File = "PackedProduct.cs"; Line = "Uses512Bits = Vector512.IsHardwareAccelerated && Fma"; Mutator = "Logical"; Reason = equivalent "on this machine both hold (512-bit vectors accelerated, FMA supported); .ci/run's width checks run the suite where they do not" }
      { File = "PackedProduct.cs"; Line = "MicroColumns => Uses512Bits"; Mutator = "Conditional"; Reason = equivalent "only the strip width by which threads split a product's columns: the packed kernel computes any column range, each output the same way" }
      { File = "PackedProduct.cs"; Line = "2 * PortableWidth.Lanes"; Mutator = ""; Reason = portable }
      { File = "PackedProduct.cs"; Line = "Run<PortableWidth, Vector<double>>"; Mutator = ""; Reason = portable }
      { File = "VectorWidths.cs"; Line = "PortableWidth"; Mutator = ""; Reason = portable }
      { File = "VectorWidths.cs"; Line = "Vector<double>"; Mutator = ""; Reason = portable }
      { File = "PackedProduct.cs"; Line = "GC.AllocateArray<double>(length + lineDoubles - 1"; Mutator = "Arithmetic"; Reason = equivalent "a larger packing buffer: the same values, aligned the same way" }
      { File = "RangeThreads.cs"; Line = ""; Mutator = "Block removal"; Reason = "defensive: a worker forwards an exception (e.g. out of memory) instead of deadlocking; the work does not throw in a test" }
      { File = "RangeThreads.cs"; Line = "throw new UnreachableException()"; Mutator = ""; Reason = "defensive: the slot's delegate is created with its type and is never null; the test is there to create the type on every run" }
      { File = "RangeThreads.cs"; Line = "new Thread(Loop)"; Mutator = ""; Reason = "not observable in a test: a foreground or unnamed worker changes only process exit and debugging" }
      { File = "RangeThreads.cs"; Line = ""; Mutator = ""; Reason = split }
      { File = "VectorOps.cs"; Line = "Vector.EqualsAll(v - v"; Mutator = "Arithmetic"; Reason = equivalent "the vector pre-scan then stops at the first nonzero vector, and the scalar scan after it finds the same first non-finite value" }
      { File = "VectorOps.cs"; Line = "n >= Lanes ? OverlappingTail"; Mutator = "Equality"; Reason = equivalent "with n = Lanes the rest is 0, which the branch before takes" }
      { File = "VectorOps.cs"; Line = "rest == 0 ? default"; Mutator = "Conditional"; Reason = equivalent "with no rest the tail paths select no lane: a vector of 0, whose store the whole vectors' stores overwrite" }
      { File = "VectorOps.cs"; Line = "padded.Clear()"; Mutator = ""; Reason = equivalent "the padding lanes are selected out of the result; stackalloc zeroes the buffer anyway (no SkipLocalsInit), and clearing keeps Vector.Exp on its fast path" }
      { File = "VectorOps.cs"; Line = "new Span<double>(sums + start, end - start)"; Mutator = ""; Reason = spans }
      { File = "VectorOps.cs"; Line = "for (; i < x.Length; i++)"; Mutator = "Equality"; Reason = spans }
      { File = "Guard.cs"; Line = "samples of {positions} positions"; Mutator = "String"; Reason = guards }
      { File = "Numerics.cs"; Line = "Math.Cos(2.0 * Math.PI * random.NextDouble())"; Mutator = "Arithmetic"; Reason = killedBy "Facts.Kernels: the standard normal draws have mean 0 and variance 1 within five standard errors" }
      { File = "MatrixProducts.cs"; Line = "public bool Changes => false"; Mutator = "Boolean"; Reason = equivalent "Unchanged.Apply returns B as it is: applying it changes nothing" }
      { File = "ImageColumns.cs"; Line = "columns.Slice(row * rowStride + columnOffset, outputHeight * outputWidth)"; Mutator = "Arithmetic"; Reason = equivalent "the slice's length only checks that the row's positions fit (the batch's checks did so first); the loop goes through a reference to its start" }
      { File = "ConvolutionGeometry.cs"; Line = "Padded"; Mutator = "Arithmetic"; Reason = equivalent "a larger zero-padded plane: its rows are read and written with its own width, so the windows see the same values; the extra rows and columns are zeros no window reads" }
      { File = "VectorizedActivation.cs"; Line = "for (; i < z.Length; i++)"; Mutator = "Equality"; Reason = killedBy "Facts.Activations: a vectorized activation writes only the first z-length values of longer buffers, forward and backward" }
      { File = "RandomTargets.cs"; Line = "random.Next(2) == 0"; Mutator = "Equality"; Reason = equivalent "the other face of the coin gives −1: still a fair ±1 draw" }
      for line in [ "ThrowIfNull"; "random.Next(2) == 0"; "loss.EncodeClass" ] do
          { File = "RandomTargets.cs"; Line = line; Mutator = ""; Reason = killedBy "Facts.Verification: random targets draw both signs for the margin losses and one-hot rows of every class for categorical cross-entropy" }
      { File = "Loss.cs"; Line = "classes"; Mutator = ""; Reason = encoding }
      { File = "Loss.cs"; Line = "target"; Mutator = ""; Reason = encoding }
      { File = "Loss.cs"; Line = "output.Length == 1 ? (output[0] >= (Yes + No) / 2"; Mutator = ""; Reason = encoding }
      { File = "MarginLoss.cs"; Line = "No => -1.0"; Mutator = ""; Reason = encoding }
      { File = "BinaryCrossEntropy.cs"; Line = "HasAccuracy => true"; Mutator = ""; Reason = encoding }
      { File = "MarginLoss.cs"; Line = "KinkOffset"; Mutator = ""; Reason = kinkAndScale }
      { File = "MeanSquaredError.cs"; Line = "Enum.IsDefined(scale)"; Mutator = ""; Reason = kinkAndScale }
      { File = "Elu.cs"; Line = "alpha > 0 && double.IsFinite(alpha)"; Mutator = ""; Reason = slopes }
      { File = "Saturation.cs"; Line = "peakSlope"; Mutator = ""; Reason = slopes }
      { File = "Saturation.cs"; Line = "Math.Abs(slope) < threshold"; Mutator = ""; Reason = slopes }
      { File = "Saturation.cs"; Line = "Description =>"; Mutator = ""; Reason = slopes }
      for line in [ "ThrowIfNull"; "property is null ||"; "must expose its hyperparameter"; "is a {valueType.Name}"; "attribute.Min <= attribute.Max"
                    "needs a range"; "values.Count == 0"; "has no hyperparameter"; "suffix >= 0"; "FirstOrDefault(n => string.Equals"
                    "type == typeof(double) ? \"a number\""; "\"one of \" + string.Join" ] do
          { File = "Hyperparameters.cs"; Line = line; Mutator = ""; Reason = hyperparameters }
      { File = "GradientCheck.cs"; Line = "h = (theta + h) - theta"; Mutator = "theta - h"; Reason = equivalent "a step of the other sign, still exactly representable: the central differences are odd in h, so the stencil takes the same points mirrored and gives the same derivative up to the step's last bit" }
      { File = "Adagrad.cs"; Line = "State = [\"sum\"]"; Mutator = ""; Reason = stateNames }
      { File = "Adam.cs"; Line = "Moments = [\"exp_avg\", \"exp_avg_sq\"]"; Mutator = ""; Reason = stateNames }
      { File = "Sgd.cs"; Line = "MomentumState"; Mutator = ""; Reason = stateNames }
      { File = "OptimizerState.cs"; Line = "tensor.Values[0] >= 0"; Mutator = ""; Reason = restoring }
      { File = "OptimizerState.cs"; Line = "is not part of the"; Mutator = "Append"; Reason = restoring }
      { File = "OptimizerState.cs"; Line = "this.network == network"; Mutator = ""; Reason = killedBy "Facts.OnlineTraining: a state bound to some parameters only trains those, on the loop: the fused pass is for a state bound to the network" }
      { File = "OptimizerState.cs"; Line = "bool coupled ="; Mutator = ""; Reason = decayScratch }
      { File = "OptimizerState.cs"; Line = "decayedGradient = new double[coupled"; Mutator = ""; Reason = decayScratch }
      { File = "ElementwiseRule.cs"; Line = "if (rest == 0) return;"; Mutator = ""; Reason = equivalent "an early exit: with no rest the padded pass copies no value back" }
      { File = "ElementwiseRule.cs"; Line = "padded.Clear()"; Mutator = ""; Reason = equivalent "the padding lanes are never copied back; stackalloc zeroes the buffer anyway (no SkipLocalsInit)" }
      for file, line in [ "TrainingOptionsCodec.cs", "The training settings must be an object"; "TrainingOptionsCodec.cs", "must be a number, but is"
                          "TrainingOptionsCodec.cs", "must be a whole number, but is"; "TrainingOptionsCodec.cs", "Training setting 'shuffle'"
                          "Components.cs", "must be a number, a bool or a string" ] do
          { File = file; Line = line; Mutator = ""; Reason = killedBy "Facts.Serialization: each malformed training setting is a format error naming the setting and the value it holds" }
      for line in [ "does not declare format"; "has no training state"; "must be a whole number ≥ 0"; "'best_validation_loss' must be a number"; "'stopped' must be true or false" ] do
          { File = "CheckpointFile.cs"; Line = line; Mutator = ""; Reason = killedBy "Facts.Serialization: a checkpoint without a format, a training state, or with a malformed counter, best loss or stop flag is a format error naming it" }
      { File = "ModelFile.cs"; Line = "holds {values[bad]} at index {bad}"; Mutator = ""; Reason = killedBy "Facts.Serialization: model files keep extra metadata, and reject a wrong format, a huge topology and non-finite parameters or standardizer values, naming which" }
      for line in [ "ThrowIfNull"; "if (count <= 0)"; "inputs must be [count="; "targets must be [count=" ] do
          { File = "OnlineTraining.cs"; Line = line; Mutator = ""; Reason = killedBy "Facts.OnlineTraining: per-sample training refuses null arguments, no samples, and inputs or targets of another size, by name" }
      { File = "OnlineTraining.cs"; Line = "bool fuse = first is not null && t + 1 < count"; Mutator = ""; Reason = equivalent "which samples take the fused pass: it leaves the loop's bits (Facts.OnlineTraining), so fusing fewer changes the speed only" }
      { File = "OnlineTraining.cs"; Line = "deferred = fuse ? t : -1"; Mutator = ""; Reason = equivalent "the value left after the last sample, after which no sample can be refused" }
      for line in [ "deferred >= 0"; "first.DeferWeightGradient = false"; "first.DiscardReadyProduct()" ] do
          { File = "OnlineTraining.cs"; Line = line; Mutator = ""; Reason = killedBy "Facts.OnlineTraining: a refused input or label stops per-sample training where the loop stops, with the loop's parameters and gradients, and the next passes are the loop's" }
      { File = "OnlineTraining.cs"; Line = "!first.Parameters[0].Frozen"; Mutator = ""; Reason = killedBy "Facts.OnlineTraining: a frozen first weight is left unchanged by per-sample training, as by the loop" }
      for line in [ "ThrowIfNull(checkpoint)"; "checkpoint.EpochsDone < 0"; "must not be negative"; "has no\" : \"has\""; "\"early-stopping parameter\""
                    "lacks the {what}"; "!tensor.Shape.SequenceEqual(parameter.Shape)"; "has shape [{string.Join"; "holds {tensor.Values[bad]} at index {bad}" ] do
          { File = "TrainingRun.cs"; Line = line; Mutator = ""; Reason = killedBy "Facts.Training: resuming refuses a null checkpoint, a negative epoch count, early-stopping parameters that do not fit the settings, and a missing, misshapen or non-finite tensor, naming it; a checkpoint of epoch 0 resumes" }
      for line in [ "if (faulted)"; "faulted = true"; "!(rate >= 0) || !double.IsFinite(rate)"; "schedule gave the learning rate" ] do
          { File = "TrainingRun.cs"; Line = line; Mutator = ""; Reason = killedBy "Facts.Training: a schedule's negative rate stops the epoch naming the schedule, the rate and the epoch, and the run then refuses another epoch" }
      { File = "TrainingRun.cs"; Line = "targets.AsSpan(r * targetWidth)"; Mutator = ""; Reason = killedBy "Facts.Training: an epoch trains each batch's rows on their own wide targets, as the steps taken by hand" }
      { File = "TrainingRun.cs"; Line = "if (best is null || double.IsPositiveInfinity(bestLoss))"; Mutator = ""; Reason = killedBy "Facts.Training: before an epoch is validated, restoring the best parameters leaves the network as it is" }
      { File = "Evaluation.cs"; Line = "data.Features.AsSpan(start * data.FeatureCount"; Mutator = ""; Reason = killedBy "Facts.Training: evaluation reads wide feature rows in every batch" }
      { File = "GradientClipping.cs"; Line = "ThrowIfNull(parameters)"; Mutator = ""; Reason = killedBy "Facts.Training: gradient clipping refuses null parameters by name, before the limit" }
      for line in [ "ThrowIfNullOrEmpty(name)"; "if (dimension <= 0)"; "if (count > Array.MaxLength)"; "ToString() => $\"{Name} [" ] do
          { File = "Parameter.cs"; Line = line; Mutator = ""; Reason = killedBy "Facts.Networks: a parameter needs a name and positive dimensions of at most Array.MaxLength values, and says its name and shape" }
      let backward = killedBy "Facts.Networks: set weights are stored row by row, and a backward pass checks each buffer against the last forward pass by name"
      { File = "Dense.cs"; Line = "weights[j].CopyTo(Weights, j * InputSize)"; Mutator = ""; Reason = backward }
      for line in [ "outputGradient must be ["; "input must be the last forward pass's"; "inputGradient must be empty or" ] do
          { File = "Layer.cs"; Line = line; Mutator = "Statement"; Reason = backward }
      { File = "Network.cs"; Line = "ArgumentNullException.ThrowIfNull(loss)"; Mutator = ""; Reason = backward }
      { File = "Dense.cs"; Line = "productReady"; Mutator = ""; Reason = equivalent "the flag of a product the fused pass made, which only per-sample training sets, before a forward pass of one sample, and clears when it ends: taking the product or computing it again gives the same bits (Facts.OnlineTraining)" }
      { File = "Conv2D.cs"; Line = "cols.Slice(row * width + used, width - used).Clear()"; Mutator = ""; Reason = paddingColumns }
      { File = "Conv2D.cs"; Line = "row[used..].Clear()"; Mutator = ""; Reason = paddingColumns }
      { File = "Conv2D.cs"; Line = "RangeThreads.Run(new ChannelsAndBiases"; Mutator = "Arithmetic"; Reason = split }
      { File = "ActivatedLayer.cs"; Line = "AlignedRows => Vector<double>.Count /"; Mutator = ""; Reason = equivalent "a larger multiple of the aligned row count: still a multiple whose first value is vector-aligned, so each value is computed by the same form" }
      { File = "Pooling.cs"; Line = "reach = (size - 1) * width"; Mutator = ""; Reason = poolingBound }
      { File = "Pooling.cs"; Line = "rowStart + x * stride + reach < image.Length"; Mutator = ""; Reason = poolingBound } ]

/// Rules of the confirming run at commit c72d22a: the mutants its facts missed after all (message texts, a target width of
/// 1, a check that a later one repeats), which facts sharpened after it detect, each re-applied by hand.
let sinceC72d22a =
    [ { File = "OnlineTraining.cs"; Line = "\"count must be positive.\""; Mutator = "String"; Reason = killedBy "Facts.OnlineTraining: per-sample training refuses … no samples (saying the count must be positive)" }
      { File = "OnlineTraining.cs"; Line = "targets must be [count="; Mutator = "Arithmetic"; Reason = killedBy "Facts.OnlineTraining: per-sample training refuses … targets of another size (two values a sample)" }
      { File = "TrainingRun.cs"; Line = "must not be negative"; Mutator = "String"; Reason = killedBy "Facts.Training: resuming refuses … a negative epoch count (saying EpochsDone must not be negative)" }
      { File = "Hyperparameters.cs"; Line = "ThrowIfNull(values)"; Mutator = "Statement"; Reason = killedBy "Facts.Hyperparameters: values are parsed by name … (null values refused by name)" }
      { File = "GradientClipping.cs"; Line = "ThrowIfNull(parameters)"; Mutator = "Statement"; Reason = killedBy "Facts.Training: gradient clipping refuses null parameters by name, before the limit" } ]

/// The start of the reason of a mutant that a test of the run's own commit detects, re-applied by hand, though Stryker recorded no
/// test covering it.
let missedByCoverage = "detected by hand, missed by Stryker's coverage: "

/// Rules of the confirming run at commit 4976a71: the mutants that tests of that commit detect when re-applied by hand but that
/// Stryker's per-test coverage did not send them to, a guard the buffer fact did not list, a sum the span fact did not and the
/// max pooling's choices over a batch, which only a worked example read.
let since4976a71 =
    let poolRouting = missedByCoverage + "Properties.ConvolutionProperties checks every gradient of random convolutional networks with max pooling over batches of several samples against the 5-point stencil and dual numbers (and Facts.Networks' max pooling over a batch, added after this run)"
    let rowProperties = missedByCoverage + "Properties.RowProductsKernelProperties compares the row products with their naive twin and the packed products bit for bit at every shape, inside buffers whose guards must stay as they were (Stryker killed these at 27b2354)"
    [ { File = "NaiveRowProducts.cs"; Line = ""; Mutator = ""; Reason = rowProperties }
      { File = "RowProducts.cs"; Line = "for (; j < n; j++)"; Mutator = "Equality"; Reason = rowProperties }
      { File = "RowProducts.cs"; Line = "Guard.Matrix(b.Length, k, n, nameof(b))"; Mutator = "Statement"; Reason = killedBy "Facts.Kernels: every internal kernel … checks each buffer … by name (the row-times-matrix kernel's B added after this run)" }
      { File = "NaiveVectorOps.cs"; Line = ""; Mutator = ""; Reason = missedByCoverage + "Properties.KernelProperties compares the vector kernels with their naive twins at every length from 0 to 4·Count + 3 (Stryker killed these at 27b2354)" }
      { File = "VectorOps.cs"; Line = "for (; i < x.Length; i++) sum = Math.FusedMultiplyAdd(Unsafe.Add(ref xRef, i), Unsafe.Add(ref xRef, i)"; Mutator = "Equality"; Reason = killedBy "Facts.Kernels: the vector kernels read and write only their spans (the sums beside a sentinel added after this run)" }
      { File = "OnnxGraphBuilder.cs"; Line = "elementType must be Float or Double"; Mutator = "String"; Reason = killedBy "Interop.GraphFacts: a model's element type is Float or Double (the message names both and the type given)" }
      { File = "MaxPool2D.cs"; Line = "chosen.AsSpan(sample * OutputSize, OutputSize), Windows, gradient"; Mutator = "Arithmetic"; Reason = poolRouting }
      { File = "Pool2D.cs"; Line = "layer.RouteSample("; Mutator = "Arithmetic"; Reason = poolRouting }
      { File = "MaxPool2D.cs"; Line = "public ReadOnlySpan<int> Chosen"; Mutator = "Arithmetic"; Reason = killedBy "Facts.Networks: max pooling over a batch chooses each sample's maxima within that sample (the worked example of seed 000 checks one sample's, outside Stryker's projects)" } ]

/// Rules of the run at commit 48a3bec: the counts of values a backward pass's errors name, which the buffer fact did not pin.
let since48a3bec =
    let counts = killedBy "Facts.Networks: a backward pass checks each buffer against the last forward pass by name (the count of values each error names, pinned after this run)"
    [ { File = "Layer.cs"; Line = "input must be the last forward pass's ["; Mutator = "Arithmetic"; Reason = counts }
      { File = "Layer.cs"; Line = "inputGradient must be empty or ["; Mutator = "Arithmetic"; Reason = counts } ]

/// The rules of a list that class a mutant (equivalent, defensive, a message, …) rather than name a test that detects it.
let classesOf (since: Rule list) = since |> List.filter (fun r -> not (r.Reason.StartsWith "detected"))

let classify (commit: string) (file: string) (line: string) (mutator: string) =
    (match commit with
     | "e8c3b55" -> sinceE8c3b55 @ rules
     | "a99dc8a" -> sinceA99dc8a @ rules
     | "3b7e27a" -> since3b7e27a @ rules
     | "a4ea43b" -> sinceA4ea43b @ rules
     | "c9ace35" -> sinceC9ace35 @ rules
     | "27b2354" -> since27b2354 @ rules
     // A class of equivalence holds at any commit; a detection is claimed only for facts added after the run, or for a test
     // of the run's commit that Stryker did not record as covering the mutant (missedByCoverage), each re-applied by hand.
     | "c72d22a" -> sinceC72d22a @ classesOf since27b2354 @ rules
     | "c979289" -> classesOf since27b2354 @ rules
     | "4976a71" -> since4976a71 @ classesOf since27b2354 @ rules
     | "48a3bec" -> since48a3bec @ classesOf since27b2354 @ rules
     | _ -> rules)
    |> List.tryFind (fun r -> file.EndsWith r.File && line.Contains r.Line && mutator.Contains r.Mutator)
    |> Option.map _.Reason
    |> Option.defaultValue "open: to study"

let args = fsi.CommandLineArgs |> Array.skip 1
let isReport (arg: string) = arg.EndsWith ".json" || arg.EndsWith ".json.gz"
let reports = args |> Array.filter isReport
let words = args |> Array.filter (isReport >> not)
/// A report's text; the reports kept in docs/mutation-reports are gzipped.
let readReport (path: string) =
    if path.EndsWith ".gz" then
        use reader = new StreamReader(new Compression.GZipStream(File.OpenRead path, Compression.CompressionMode.Decompress))
        reader.ReadToEnd()
    else File.ReadAllText path
let commit = words |> Array.tryHead |> Option.defaultValue "?"
/// An optional sentence after the commit: what the run's tests were, when they are not that commit's.
let note = words |> Array.tryItem 1 |> Option.map (fun n -> [ n; "" ]) |> Option.defaultValue []
let cell (text: string) = text.Replace("|", "\\|").Replace("`", "'").Replace("\r", "").Replace("\n", " ")
/// A report's mutants (file, line, status, mutator, source line, replacement), but those its mutate filter left out.
let mutantsOf (path: string) =
    let report = JsonDocument.Parse(readReport path).RootElement
    [ for file in report.GetProperty("files").EnumerateObject() do
        let name = file.Name.Substring(file.Name.IndexOf("src/Engine/") + "src/Engine/".Length)
        let lines = file.Value.GetProperty("source").GetString().Split('\n')
        for mutant in file.Value.GetProperty("mutants").EnumerateArray() do
            let status = mutant.GetProperty("status").GetString()
            let reason = match mutant.TryGetProperty "statusReason" with | true, r -> r.GetString() | _ -> ""
            if not (status = "Ignored" && reason.Contains "mutate filter") then
                let line = mutant.GetProperty("location").GetProperty("start").GetProperty("line").GetInt32()
                let mutator = mutant.GetProperty("mutatorName").GetString()
                let replacement = match mutant.TryGetProperty "replacement" with | true, r -> r.GetString() | _ -> ""
                yield name, line, status, mutator, lines[line - 1].Trim(), replacement ]
let runs = reports |> Array.map mutantsOf
// A file outside a run's --mutate globs has only mutants the filter ignored or that did not compile.
let mutatedIn (run: (string * int * string * string * string * string) list) =
    run |> List.filter (fun (_, _, s, _, _, _) -> s <> "CompileError") |> List.map (fun (name, _, _, _, _, _) -> name) |> set
let mutatedSets = runs |> Array.map mutatedIn
// Each file's mutants come from the last report given that mutated it (see the top), never from two.
let lastRunOf name = mutatedSets |> Array.tryFindIndexBack (fun files -> Set.contains name files)
let mutants =
    runs
    |> Array.toList
    |> List.mapi (fun i run -> run |> List.filter (fun (name, _, _, _, _, _) -> lastRunOf name = Some i))
    |> List.concat
let count status = mutants |> List.filter (fun (_, _, s, _, _, _) -> s = status) |> List.length
let detected = count "Killed" + count "Timeout"
let undetected = count "Survived" + count "NoCoverage"
let score = 100.0 * float detected / float (detected + undetected)
let rows =
    [ for name, line, status, mutator, source, replacement in mutants do
        if status = "Survived" || status = "NoCoverage" then
            yield name, line, status, mutator, source, replacement, classify commit name source (mutator + " → " + replacement) ]
    |> List.sortBy (fun (name, line, _, _, _, _, _) -> name, line)
let counts = rows |> List.countBy (fun (_, _, _, _, _, _, reason) -> reason) |> List.sortByDescending snd
let clip (n: int) (text: string) = if text.Length > n then text[.. n - 1] + "…" else text
let files = mutants |> List.map (fun (name, _, _, _, _, _) -> name) |> List.distinct |> List.length
let summary =
    sprintf "%d mutants tested in %d files: %d killed, %d timed out, %d survived, %d not covered (%d did not compile, %d ignored by Stryker's block filter); score %.2f %%."
        (detected + undetected) files (count "Killed") (count "Timeout") (count "Survived") (count "NoCoverage") (count "CompileError") (count "Ignored") score
    + (let since = rows |> List.filter (fun (_, _, _, _, _, _, reason) -> reason.StartsWith "detected") |> List.length
       let missed = rows |> List.exists (fun (_, _, _, _, _, _, reason) -> reason.StartsWith missedByCoverage)
       if since = 0 then ""
       else sprintf " With the %d detected since this run%s: %d of %d, %.2f %%." since (if missed then " or by tests Stryker did not record as covering them" else "")
                (detected + since) (detected + undetected)
                (100.0 * float (detected + since) / float (detected + undetected)))
let mutatedFiles =
    mutants
    |> List.map (fun (name, _, _, _, _, _) -> name)
    |> List.distinct
    |> List.groupBy (fun name -> match name.LastIndexOf '/' with | -1 -> "" | i -> name[.. i])
    |> List.sortBy fst
    |> List.map (fun (folder, names) ->
        let leaves = names |> List.map (fun n -> n.Substring folder.Length) |> List.sort
        if folder = "" then String.Join(", ", leaves) else sprintf "%s{%s}" folder (String.Join(", ", leaves)))
let section =
    [ sprintf "## The run at commit %s" commit
      ""
      summary
      "" ]
    @ note
    @ [ "Files mutated: " + String.Join(", ", mutatedFiles) + "."
        ""
        "| reason | mutants |"
        "|---|---|" ]
    @ [ for reason, n in counts -> sprintf "| %s | %d |" (cell reason) n ]
    @ [ ""; "| where | status | mutator | original → replacement | reason |"; "|---|---|---|---|---|" ]
    @ [ for name, line, status, mutator, source, replacement, reason in rows ->
            sprintf "| %s:%d | %s | %s | `%s` → `%s` | %s |" name line status mutator (cell (clip 80 source)) (cell (clip 40 replacement)) (cell reason) ]
// The document keeps the sections of other runs (a run may mutate only part of the engine): this run's section replaces
// the one of the same commit, or comes first.
let document = "docs/mutation-survivors.md"
let heading = section.Head
let existing = if File.Exists document then File.ReadAllLines document |> List.ofArray else []
let intro = existing |> List.takeWhile (fun l -> not (l.StartsWith "## "))
let sections =
    existing
    |> List.skipWhile (fun l -> not (l.StartsWith "## "))
    |> List.fold (fun acc l -> if l.StartsWith "## " then [ l ] :: acc else match acc with | s :: rest -> (l :: s) :: rest | [] -> []) []
    |> List.rev
    |> List.map List.rev
    |> List.filter (fun s -> s.Head <> heading)
    |> List.map (fun s -> List.rev (List.skipWhile String.IsNullOrWhiteSpace (List.rev s)))
File.WriteAllLines(document, intro @ List.concat ((section @ [ "" ]) :: [ for s in sections -> s @ [ "" ] ]))
eprintfn "%s" summary
for reason, n in counts do printfn "%4d  %s" n reason
