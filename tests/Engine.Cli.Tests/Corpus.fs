/// The hostile-input corpus: bad files (corrupt, truncated, non-gzip and bomb .gz; IDX with bad magic, counts and dimensions;
/// CSV with bad cells, ragged or odd first rows and bad labels; safetensors with hostile headers, topologies and shapes) and
/// bad option sets, each with the exit code nn must give and what its one error line must name.
module Corpus

open System
open System.IO
open System.IO.Compression
open System.Text
open Engine.Activations
open Engine.Data
open Engine.Losses
open Engine.Networks
open Engine.Serialization

/// One hostile case: files written into an empty folder, the command line, and what nn must answer.
type Case =
    { Name: string
      Files: (string * byte[]) list
      Args: string list
      /// Standard input.
      Input: string
      /// Run in the folder before nn (e.g. to make a sparse file).
      Setup: string -> unit
      Code: int
      /// What the error line must contain: the option as typed, the file, the position.
      Mentions: string list }

let private case name files args code mentions =
    { Name = name; Files = files; Args = args; Input = ""; Setup = ignore; Code = code; Mentions = mentions }

let private utf8 (text: string) = Encoding.UTF8.GetBytes text

/// Rows of a small valid classification CSV: two features, labels 0..2.
let private rows n = [ for i in 0 .. n - 1 -> sprintf "%d.5,%d,%d" (i % 7) (i % 5) (i % 3) ]

let private csv (lines: string list) = utf8 (String.Join("\n", lines) + "\n")

let private okCsv = csv (rows 30)

/// A valid CSV with one line replaced (1-based).
let private withLine (line: int) (text: string) = csv (rows 30 |> List.mapi (fun i l -> if i = line - 1 then text else l))

let gzip (bytes: byte[]) =
    use memory = new MemoryStream()
    (use compressor = new GZipStream(memory, CompressionLevel.Fastest) in compressor.Write bytes)
    memory.ToArray()

/// A gzip bomb: one member of 16 MiB of the pattern, repeated; it decompresses to members × 16 MiB.
let bomb (pattern: string) (members: int) =
    let block = Array.init (16 <<< 20) (fun i -> byte pattern[i % pattern.Length])
    use memory = new MemoryStream()
    (use compressor = new GZipStream(memory, CompressionLevel.SmallestSize) in compressor.Write block)
    let one = memory.ToArray()
    Array.concat (Array.create members one)

let idx (typeCode: byte) (dimensions: int list) (payload: byte[]) =
    Array.concat [ [| 0uy; 0uy; typeCode; byte dimensions.Length |]
                   dimensions |> List.toArray |> Array.collect (fun d -> BitConverter.GetBytes d |> Array.rev)
                   payload ]

/// A safetensors file of raw header text and data.
let safetensors (json: string) (data: byte[]) =
    let header = utf8 json
    Array.concat [ BitConverter.GetBytes(uint64 header.Length); header; data ]

/// A valid model: 2 standardized features → 4 tanh → 3 softmax classes named a, b, c; sparse-cce.
let validModel () =
    let network = Network.Dense([| 2; 4; 3 |], Tanh(), Softmax())
    network.Initialize(WeightInitialization.Glorot, 1)
    use stream = new MemoryStream()
    ModelFile.Write(stream, network, SparseCategoricalCrossEntropy(), Standardizer([| 3.0; 2.0 |], [| 2.0; 1.4 |]), readOnlyDict [ "data", "ok.csv" ])
    stream.ToArray()

/// A model file's metadata and tensors written through SafeTensors, to say what ModelFile would not.
let private modelOf (metadata: (string * string) list) (tensors: Tensor list) =
    use stream = new MemoryStream()
    SafeTensors.Write(stream, Array.ofList tensors, readOnlyDict metadata)
    stream.ToArray()

let private dense inputs outputs = sprintf """[{"type":"dense","inputs":%d,"outputs":%d,"activation":"relu"}]""" inputs outputs
let private format = "format", "verify-nn/1"
let private tensor name (shape: int list) = Tensor(name, Array.ofList shape, Array.zeroCreate (List.fold (*) 1 shape))

let private optionCases =
    let t (args: string list) code mentions = case ("nn train " + String.concat " " args) [ "ok.csv", okCsv ] ("train" :: args) code mentions
    [ t [ "--epoch"; "3" ] 2 [ "unknown option '--epoch'"; "--epochs" ]
      t [ "--learning-rate"; "0.1" ] 2 [ "unknown option '--learning-rate'"; "--lr" ]
      t [ "--batch-size"; "8" ] 2 [ "'--batch-size'"; "--batch" ]
      t [ "ok.csv" ] 2 [ "unexpected argument 'ok.csv'" ]
      t [ "--data" ] 2 [ "--data needs a value" ]
      t [ "--epochs"; "--lr"; "0.1" ] 2 [ "--epochs needs a value"; "--lr" ]
      t [ "--epochs"; "1e3" ] 2 [ "--epochs must be a whole number"; "'1e3'"; "1000" ]
      t [ "--epochs"; "2147483648" ] 2 [ "--epochs"; "2147483648" ]
      t [ "--batch"; "3.5" ] 2 [ "--batch must be a whole number"; "'3.5'" ]
      t [ "--lr"; "abc" ] 2 [ "--lr must be a number"; "'abc'" ]
      t [ "--seed"; "x" ] 2 [ "--seed"; "'x'" ]
      t [ "--epochs"; "0" ] 2 [ "--epochs must be at least 1, but is 0" ]
      t [ "--batch"; "0" ] 2 [ "--batch must be at least 1" ]
      t [ "--lr"; "0" ] 2 [ "--lr must be positive and finite, but is 0" ]
      t [ "--lr"; "-1" ] 2 [ "--lr must be positive"; "-1" ]
      t [ "--lr"; "NaN" ] 2 [ "--lr"; "NaN" ]
      t [ "--lr"; "Infinity" ] 2 [ "--lr"; "Infinity" ]
      t [ "--threads"; "0" ] 2 [ "--threads must be from 1 to 256, but is 0" ]
      t [ "--threads"; "100000" ] 2 [ "--threads"; "100000" ]
      t [ "--layers"; "2,,3" ] 2 [ "--layers '2,,3' has an empty entry at position 2" ]
      t [ "--layers"; ",2,3" ] 2 [ "--layers"; "empty entry at position 1" ]
      t [ "--layers"; "2" ] 2 [ "--layers needs at least an input and an output width" ]
      t [ "--layers"; "2,x,3" ] 2 [ "--layers must list positive whole numbers, but entry 2 is 'x'" ]
      t [ "--layers"; "2,-1,3" ] 2 [ "--layers"; "'-1'" ]
      t [ "--data"; "ok.csv"; "--layers"; "5,8,3" ] 2 [ "--layers must start with 2" ]
      t [ "--data"; "ok.csv"; "--layers"; "2,8,4" ] 2 [ "--layers ends with 4"; "3 classes" ]
      t [ "--data"; "ok.csv"; "--layers"; "2,100000000,3" ] 2 [ "--layers"; "more than one array can hold" ]
      t [ "--data"; "ok.csv"; "--layers"; "2,4000000,3"; "--batch"; "1" ] 2 [ "--layers"; "GiB available" ]
      t [ "--model"; "rnn" ] 2 [ "--model must be dense or cnn, but is 'rnn'" ]
      t [ "--task"; "clustering" ] 2 [ "--task must be classification or regression" ]
      t [ "--data"; "ok.csv"; "--header"; "maybe" ] 2 [ "--header must be auto, yes or no, but is 'maybe'" ]
      t [ "--data"; "ok.csv"; "--delimiter"; "ab" ] 2 [ "--delimiter must be one character" ]
      t [ "--data"; "ok.csv"; "--delimiter"; "\"" ] 2 [ "--delimiter" ]
      t [ "--loss"; "foo" ] 2 [ "--loss 'foo' is not a known loss" ]
      t [ "--activation"; "relux" ] 2 [ "--activation 'relux' is not a known activation"; "relu" ]
      t [ "--output-activation"; "sigmoid" ] 2 [ "--output-activation sigmoid does not suit the sparse-cce loss" ]
      t [ "--data"; "ok.csv"; "--output-activation"; "softmax"; "--layers"; "2,1"; "--loss"; "bce" ] 2 [ "--layers ends with 1"; "3 classes" ]
      t [ "--image"; "1,8,8" ] 2 [ "--image applies only to --model cnn" ]
      t [ "--model"; "cnn"; "--layers"; "64,10" ] 2 [ "--layers applies only to --model dense" ]
      t [ "--model"; "cnn"; "--data"; "ok.csv" ] 2 [ "--image C,H,W is needed"; "2 features" ]
      t [ "--model"; "cnn"; "--image"; "1,8,9" ] 2 [ "--image 1,8,9 holds 72 values"; "64" ]
      t [ "--model"; "cnn"; "--image"; "1,8" ] 2 [ "--image must be three positive whole numbers" ]
      t [ "--data"; "ok.csv"; "--labels"; "ok.csv" ] 2 [ "--labels applies only to IDX images"; "ok.csv" ]
      t [ "--data"; "iris"; "--header"; "yes" ] 2 [ "--header does not apply to the embedded data set iris" ]
      t [ "--test-labels"; "ok.csv" ] 2 [ "--test-labels applies only with --test-data" ]
      t [ "--optimizer"; "adam"; "--momentum"; "0.9" ] 2 [ "--momentum does not apply to --optimizer adam" ]
      t [ "--optimizer"; "sgd"; "--beta1"; "0.5" ] 2 [ "--beta1 does not apply to --optimizer sgd" ]
      t [ "--nesterov" ] 2 [ "--nesterov"; "momentum > 0" ]
      t [ "--optimizer"; "nadam" ] 2 [ "--optimizer 'nadam' is not a known optimizer"; "adam" ]
      t [ "--schedule"; "step:size=3" ] 2 [ "--schedule step has no setting 'size'"; "step-size" ]
      t [ "--schedule"; "cosine:t-max" ] 2 [ "--schedule"; "is not key=value" ]
      t [ "--patience"; "3" ] 2 [ "--patience applies only with --validation-fraction" ]
      t [ "--validation-fraction"; "1" ] 2 [ "--validation-fraction must lie in [0, 1)" ]
      t [ "--clip-norm"; "-2" ] 2 [ "--clip-norm must be positive" ]
      t [ "--checkpoint-every"; "0" ] 2 [ "--checkpoint-every must be at least 1" ]
      t [ "--input-limit"; "12X" ] 2 [ "--input-limit must be a positive size"; "'12X'" ]
      t [ "--input-limit"; "0" ] 2 [ "--input-limit"; "'0'" ]
      t [ "--epochs"; "3"; "--epochs"; "4" ] 2 [ "--epochs is given more than once" ]
      t [ "--verbose=yes" ] 2 [ "--verbose is a switch and takes no value" ]
      t [ "--resume"; "nowhere" ] 2 [ "--resume 'nowhere': no such folder" ]
      t [ "--resume"; "."; "--lr"; "0.1" ] 2 [ "--lr does not apply with --resume" ]
      t [ "--resume"; "." ] 2 [ "--resume '.' has no checkpoint.safetensors" ]
      t [ "--out"; "ok.csv" ] 2 [ "--out 'ok.csv' is a file" ]
      case "nn trian" [] [ "trian" ] 2 [ "unknown command 'trian'"; "train" ]
      case "nn --epochs 3 train" [] [ "--epochs"; "3"; "train" ] 2 [ "'--epochs' comes before a command" ]
      case "nn evaluate" [] [ "evaluate" ] 2 [ "--model is required" ]
      case "nn evaluate --modle m" [] [ "evaluate"; "--modle"; "m" ] 2 [ "unknown option '--modle' for nn evaluate"; "--model" ]
      case "nn evaluate --part middle" [ "m.safetensors", validModel () ] [ "evaluate"; "--model"; "m.safetensors"; "--part"; "middle" ] 2 [ "--part must be all, train or test" ]
      case "nn evaluate --format xml" [ "m.safetensors", validModel () ] [ "evaluate"; "--model"; "m.safetensors"; "--format"; "xml" ] 2 [ "--format must be table or json" ]
      case "nn evaluate --part test without a run record" [ "m.safetensors", validModel () ] [ "evaluate"; "--model"; "m.safetensors"; "--part"; "test" ] 2 [ "--part test needs a model whose run recorded" ]
      case "nn predict --inputs x" [] [ "predict"; "--inputs"; "x" ] 2 [ "unknown option '--inputs' for nn predict"; "--input" ]
      case "nn predict --format xml" [ "m.safetensors", validModel () ] [ "predict"; "--model"; "m.safetensors"; "--format"; "xml" ] 2 [ "--format must be csv or json" ]
      case "nn gradcheck --layer 4,3" [] [ "gradcheck"; "--layer"; "4,3" ] 2 [ "unknown option '--layer'"; "--layers" ]
      case "nn gradcheck --layers 1000,1000" [] [ "gradcheck"; "--layers"; "1000,1000" ] 2 [ "--layers 1000,1000 has 1001000 parameters"; "at most 100000" ]
      case "nn gradcheck --tolerance 0" [] [ "gradcheck"; "--tolerance"; "0" ] 2 [ "--tolerance must be positive" ]
      case "nn walkthrough --example nope" [] [ "walkthrough"; "--example"; "nope" ] 2 [ "--example must be batch, iq, vanishing or saturation"; "'nope'" ]
      case "nn walkthrough --plot on iq" [] [ "walkthrough"; "--example"; "iq"; "--plot"; "x.png" ] 2 [ "--plot applies only to --example vanishing or saturation" ]
      case "nn walkthrough --plot into a missing folder" [] [ "walkthrough"; "--example"; "vanishing"; "--plot"; "no/x.png" ] 2 [ "--plot: cannot write 'no/x.png'"; "does not exist" ]
      case "nn export --dtype float16" [ "m.safetensors", validModel () ] [ "export"; "--model"; "m.safetensors"; "--dtype"; "float16" ] 2 [ "--dtype must be float32 or float64" ]
      case "nn export --out a folder" [ "m.safetensors", validModel (); "dir/keep", [||] ] [ "export"; "--model"; "m.safetensors"; "--out"; "dir" ] 2 [ "--out: cannot write 'dir': it is a folder" ] ]

let private csvCases =
    let t name (text: byte[]) extra mentions = case name [ "data.csv", text ] ([ "train"; "--data"; "data.csv"; "--epochs"; "1" ] @ extra) 2 mentions
    [ t "an empty CSV" [||] [] [ "--data: data.csv: no data rows" ]
      t "a CSV of blank lines" (utf8 "\n\n  \n\n") [] [ "data.csv: no data rows" ]
      t "a CSV with only a header" (utf8 "a,b,label\n") [] [ "data.csv: no data rows after the header" ]
      t "a first row with a word among numbers is data, not a header" (csv ("1,x,0" :: rows 30)) [] [ "data.csv, line 1, column 2: 'x' is not a number"; "--header yes" ]
      t "a ragged first row" (csv ("1,2" :: rows 30)) [] [ "data.csv, line 2: 3 fields, but the first data row (line 1) has 2" ]
      t "a ragged row in the middle" (withLine 17 "1,2,0,4") [] [ "data.csv, line 17: 4 fields"; "has 3" ]
      t "a bad cell after blank lines keeps its physical line" (utf8 (String.Join("\n", rows 10) + "\n\n\n" + "1,zz,0\n")) [] [ "data.csv, line 13, column 2: 'zz' is not a number" ]
      t "NaN" (withLine 5 "NaN,1,0") [] [ "line 5, column 1: NaN is not finite" ]
      t "Infinity" (withLine 6 "1,-Infinity,0") [] [ "line 6, column 2: -Infinity is not finite" ]
      t "an empty cell" (withLine 7 ",1,0") [] [ "line 7, column 1: the cell is empty" ]
      t "an empty label" (withLine 8 "1,2,") [] [ "line 8, column 3: the label is empty" ]
      t "a negative label" (withLine 9 "1,2,-1") [] [ "line 9: the label -1 is not a class index"; "--task regression" ]
      t "a fractional label" (withLine 10 "1,2,1.5") [] [ "line 10: the label 1.5 is not a class index" ]
      t "a label of 1e9" (withLine 11 "1,2,1e9") [] [ "line 11: the label 1e9 makes 1000000001 classes"; "class 3 never occurs" ]
      t "a label of 99999" (withLine 12 "1,2,99999") [] [ "line 12: the label 99999 makes 100000 classes" ]
      t "a single class" (csv [ for i in 0 .. 20 -> sprintf "%d,1,4" i ]) [] [ "every label is 4, a single class"; "--task regression" ]
      t "labels mixing names and numbers" (withLine 3 "1,2,cat") [] [ "line 3: the label 'cat' is a name, but data.csv, line 1 has the number 0" ]
      t "a quote inside an unquoted field" (withLine 4 "1,2\"3,0") [] [ "line 4, column 2: a quote inside an unquoted field" ]
      t "a quote never closed" (csv (rows 5 @ [ "1,\"2,0" ])) [] [ "line 6, column 2: a quoted field is never closed" ]
      t "text after a closing quote" (withLine 2 "\"1\"x,2,0") [] [ "line 2, column 1: text after the closing quote" ]
      t "a single column" (csv [ "1"; "2"; "3" ]) [] [ "line 1: a row needs at least one feature and a label, but has 1 field" ]
      t "a label column that does not exist" okCsv [ "--label-column"; "9" ] [ "the label column 9 does not exist; the rows have 3 columns" ]
      t "a label column by name without a header" okCsv [ "--label-column"; "species" ] [ "the label column 'species' is a name, but the file has no header" ]
      t "a label column name not in the header" (csv ("a,b,c" :: rows 30)) [ "--label-column"; "d" ] [ "no column is named 'd'" ]
      t "a semicolon file read with commas" (csv [ for i in 0 .. 20 -> sprintf "%d;%d;%d" i i (i % 2) ]) [] [ "data.csv, line 2: a row needs at least one feature and a label, but has 1 field; is ',' the file's delimiter?" ]
      t "a regression target that is not a number" (withLine 14 "1,2,high") [ "--task"; "regression" ] [ "line 14: the target 'high' is not a finite number" ]
      t "a record longer than 16 Mi characters" (gzip (Array.append (Array.create ((16 <<< 20) + 10) (byte '1')) (utf8 ",2,0\n"))) [] [ "line 1: the record is longer than 16777216 characters" ]
      t "too few rows for a split" (csv [ "1,2,0"; "3,4,1" ]) [] [ "--data data.csv has too few rows for an 80/20 split" ]
      case "a test file with a class the training data lack" [ "data.csv", okCsv; "test.csv", csv [ "1,2,0"; "1,2,3" ] ]
          [ "train"; "--data"; "data.csv"; "--test-data"; "test.csv" ] 2 [ "--test-data: test.csv, line 2: the label '3' is not one of the class indices 0..2" ]
      case "a test file with other features" [ "data.csv", okCsv; "test.csv", csv [ "1,2,3,0" ] ]
          [ "train"; "--data"; "data.csv"; "--test-data"; "test.csv" ] 2 [ "--test-data test.csv has 3 features, but --data data.csv has 2" ]
      case "data that is a folder" [ "dir/keep", [||] ] [ "train"; "--data"; "dir" ] 2 [ "--data 'dir' is a folder" ]
      case "data that does not exist" [] [ "train"; "--data"; "missing.csv" ] 2 [ "--data 'missing.csv': no such file" ]
      { case "predict on rows of another width" [ "m.safetensors", validModel () ] [ "predict"; "--model"; "m.safetensors" ] 2 [ "--input standard input: rows have 3 features, but the model takes 2" ] with Input = "1,2,3\n" }
      { case "predict on no rows" [ "m.safetensors", validModel () ] [ "predict"; "--model"; "m.safetensors" ] 2 [ "--input: standard input: no data rows" ] with Input = "" }
      { case "predict on a word" [ "m.safetensors", validModel () ] [ "predict"; "--model"; "m.safetensors" ] 2 [ "standard input, line 2, column 2: 'two' is not a number" ] with Input = "1,2\n1,two\n" }
      case "predict from a missing file" [ "m.safetensors", validModel () ] [ "predict"; "--model"; "m.safetensors"; "--input"; "rows.csv" ] 2 [ "--input 'rows.csv': no such file" ]
      case "evaluate on data of another width" [ "m.safetensors", validModel (); "data.csv", csv [ for i in 0 .. 9 -> sprintf "%d,1,2,%d" i (i % 3) ] ]
          [ "evaluate"; "--model"; "m.safetensors"; "--data"; "data.csv" ] 2 [ "--data data.csv has 3 features, but the model takes 2" ]
      case "evaluate on labels outside the model's classes" [ "m.safetensors", validModel (); "data.csv", csv [ "1,2,0"; "1,2,5" ] ]
          [ "evaluate"; "--model"; "m.safetensors"; "--data"; "data.csv" ] 2 [ "--data: data.csv, line 2: the label '5' is not one of the class indices 0..2" ] ]

let private gzipCases =
    let ok = gzip okCsv
    let flipped = Array.copy ok
    flipped[flipped.Length / 2] <- flipped[flipped.Length / 2] ^^^ 0xFFuy
    let t name (bytes: byte[]) extra mentions = case name [ "data.csv.gz", bytes ] ([ "train"; "--data"; "data.csv.gz"; "--epochs"; "1" ] @ extra) 2 mentions
    let images = idx 0x08uy [ 30; 2; 2 ] (Array.init 120 byte)
    let labels = idx 0x08uy [ 30 ] (Array.init 30 (fun i -> byte (i % 3)))
    [ t "a truncated CSV gzip" ok[.. ok.Length / 2] [] [ "--data: data.csv.gz: not a valid gzip file" ]
      t "a CSV gzip cut before its trailer" ok[.. ok.Length - 5] [] [ "data.csv.gz: not a valid gzip file"; "CRC-32" ]
      t "a corrupted CSV gzip" flipped [] [ "data.csv.gz: not a valid gzip file" ]
      t "a CSV gzip with bytes after its end" (Array.append ok (utf8 "tail")) [] [ "data.csv.gz: not a valid gzip file" ]
      t "a .gz that is not gzip" okCsv [] [ "data.csv.gz: named .gz but not gzip data" ]
      t "an empty .gz" [||] [] [ "data.csv.gz: named .gz but not gzip data" ]
      t "a gzip header alone" ok[.. 9] [] [ "data.csv.gz: not a valid gzip file" ]
      t "a bomb of blank lines stops at the default limit" (bomb "\n" 80) [] [ "data.csv.gz holds more than 1 GiB after decompression, beyond the input limit of 1 GiB (--input-limit)" ]
      t "a bomb of rows stops at the values the limit holds" (bomb "0,0\n" 8) [ "--input-limit"; "64M" ] [ "data.csv.gz needs more memory for its rows (8 bytes a value, 24 a row), beyond the input limit of 64 MiB (--input-limit)" ]
      t "a bomb of NUL bytes is one record too long" (bomb "\000" 2) [] [ "data.csv.gz, line 1: the record is longer than 16777216 characters" ]
      case "a truncated IDX images gzip for evaluate" [ "m.safetensors", validModel (); "i-images-idx3-ubyte.gz", (gzip images)[.. 40]; "i-labels-idx1-ubyte.gz", gzip labels ]
          [ "evaluate"; "--model"; "m.safetensors"; "--data"; "i-images-idx3-ubyte.gz" ] 2 [ "--data"; "i-images-idx3-ubyte.gz" ]
      case "a corrupted IDX labels gzip" [ "train-images-idx3-ubyte.gz", gzip images; "train-labels-idx1-ubyte.gz", (let b = gzip labels in b[b.Length - 6] <- b[b.Length - 6] ^^^ 0x55uy; b) ]
          [ "train"; "--data"; "train-images-idx3-ubyte.gz" ] 2 [ "train-labels-idx1-ubyte.gz: not a valid gzip file" ]
      case "an IDX bomb declaring a billion values" [ "train-images-idx3-ubyte.gz", gzip (idx 0x08uy [ 1 <<< 20; 32; 32 ] [||]); "train-labels-idx1-ubyte.gz", gzip labels ]
          [ "train"; "--data"; "train-images-idx3-ubyte.gz" ] 2 [ "train-images-idx3-ubyte.gz declares [1048576, 32, 32…] values (8 bytes each), beyond the input limit of 1 GiB" ]
      case "an IDX bomb of zeros after a one-value images file" [ "train-images-idx3-ubyte.gz", Array.append (gzip (idx 0x08uy [ 1; 1 ] [| 7uy |])) (bomb "\000" 80)
                                                                  "train-labels-idx1-ubyte.gz", gzip (idx 0x08uy [ 1 ] [| 0uy |]) ]
          [ "train"; "--data"; "train-images-idx3-ubyte.gz" ] 2 [ "train-images-idx3-ubyte.gz: more bytes follow the 1 values (1 bytes) the header declares" ] ]

let private idxCases =
    let images = idx 0x08uy [ 30; 2; 2 ] (Array.init 120 byte)
    let labels = idx 0x08uy [ 30 ] (Array.init 30 (fun i -> byte (i % 3)))
    let pair name (imageBytes: byte[]) (labelBytes: byte[]) extra mentions =
        case name [ "train-images-idx3-ubyte", imageBytes; "train-labels-idx1-ubyte", labelBytes ] ([ "train"; "--data"; "train-images-idx3-ubyte"; "--epochs"; "1" ] @ extra) 2 mentions
    [ pair "IDX images with an unknown type code" (Array.append [| 0uy; 0uy; 0x42uy; 3uy |] images[4..]) labels [] [ "--data: train-images-idx3-ubyte, byte 2: unknown IDX type code 0x42" ]
      pair "IDX labels with a bad magic number" images (Array.append [| 1uy; 0uy |] labels[2..]) [] [ "train-labels-idx1-ubyte, byte 0: the magic number must start with two zero bytes" ]
      pair "IDX images of rank 0" [| 0uy; 0uy; 8uy; 0uy |] labels [] [ "byte 3: an IDX file needs at least one dimension" ]
      pair "IDX images whose header is cut" images[.. 9] labels [] [ "train-images-idx3-ubyte: 10 bytes, too short for the 3 dimensions" ]
      pair "IDX images with a negative dimension" (idx 0x08uy [ 30; -2; 2 ] (Array.zeroCreate 120)) labels [] [ "train-images-idx3-ubyte, byte 8: dimension 1 is negative (-2)" ]
      pair "IDX images declaring more than the file holds" (idx 0x08uy [ 30; 28; 28 ] (Array.zeroCreate 120)) labels [] [ "train-images-idx3-ubyte: the header declares [30, 28…] values of 1 bytes, more than the 120 bytes after it" ]
      pair "IDX images with bytes after the values" (Array.append images [| 1uy; 2uy |]) labels [] [ "the header declares 120 values (120 bytes) but 122 bytes follow it" ]
      pair "IDX images and labels of different counts" images (idx 0x08uy [ 29 ] (Array.init 29 (fun i -> byte (i % 3)))) [] [ "train-images-idx3-ubyte has 30 images but train-labels-idx1-ubyte has 29 labels" ]
      pair "IDX labels of two dimensions" images (idx 0x08uy [ 30; 1 ] (Array.init 30 (fun i -> byte (i % 3)))) [] [ "train-labels-idx1-ubyte: labels must be one-dimensional, but have 2 dimensions" ]
      pair "IDX without images" (idx 0x08uy [ 0; 2; 2 ] [||]) (idx 0x08uy [ 0 ] [||]) [] [ "train-images-idx3-ubyte: no images" ]
      pair "IDX labels with a class that leaves others empty" images (idx 0x08uy [ 30 ] (Array.init 30 (fun i -> if i = 4 then 255uy else byte (i % 3)))) []
          [ "train-labels-idx1-ubyte, item 4: the label 255 makes 256 classes" ]
      pair "CSV options on IDX data" images labels [ "--header"; "yes" ] [ "--header applies only to CSV data; --data 'train-images-idx3-ubyte' is an IDX file" ]
      case "IDX images whose labels cannot be found by name" [ "digits.idx", images ] [ "train"; "--data"; "digits.idx" ] 2 [ "--labels is needed"; "digits.idx" ]
      case "IDX images whose labels file is missing" [ "train-images-idx3-ubyte", images ] [ "train"; "--data"; "train-images-idx3-ubyte" ] 2 [ "--labels is needed"; "train-labels-idx1-ubyte" ]
      case "an IDX test file without its labels" [ "train-images-idx3-ubyte", images; "train-labels-idx1-ubyte", labels; "t10k-images-idx3-ubyte", images ]
          [ "train"; "--data"; "train-images-idx3-ubyte"; "--test-data"; "t10k-images-idx3-ubyte" ] 2 [ "--test-labels is needed" ] ]

let private modelCases =
    let valid = validModel ()
    let t name (bytes: byte[]) mentions = case name [ "m.safetensors", bytes ] [ "predict"; "--model"; "m.safetensors" ] 2 ("--model 'm.safetensors'" :: mentions)
    let weights = [ tensor "layers.0.weight" [ 1; 1 ]; tensor "layers.0.bias" [ 1 ] ]
    [ t "an empty model file" [||] [ "fewer than the 8 of the header length" ]
      t "a model file of 7 bytes" [| 1uy; 2uy; 3uy; 4uy; 5uy; 6uy; 7uy |] [ "The file has 7 bytes" ]
      t "a header length of 2^64 − 1" (Array.append (BitConverter.GetBytes UInt64.MaxValue) valid[8..]) [ "The header length 18446744073709551615 exceeds" ]
      t "a header length past the end" (Array.append (BitConverter.GetBytes 1000000UL) valid[8..200]) [ "exceeds the"; "truncated or not safetensors" ]
      t "a header over the 16 MiB limit" (Array.append (BitConverter.GetBytes((16UL <<< 20) + 8UL)) (Array.create ((16 <<< 20) + 8) 32uy)) [ "exceeds the limit of 16777216 bytes" ]
      t "a header that is not JSON" (safetensors "{not json" [||]) [ "The header is not valid JSON" ]
      t "a header that is a JSON array" (safetensors "[1,2]" [||]) [ "The header is not a JSON object" ]
      t "a header that is not UTF-8" (let header = Array.concat [ utf8 "{\"a\":\""; [| 0xFFuy |]; utf8 "\"}" ] in Array.append (BitConverter.GetBytes(uint64 header.Length)) header) [ "not valid UTF-8" ]
      t "a truncated model file" valid[.. valid.Length - 9] [ "outside" ]
      t "a model file with bytes after its tensors" (Array.append valid (Array.zeroCreate 8)) [ "belong to no tensor" ]
      t "a model without a format" (modelOf [ "topology", dense 1 1 ] weights) [ "does not declare format verify-nn/1 (found none)" ]
      t "a model of another format" (modelOf [ "format", "other/2"; "topology", dense 1 1 ] weights) [ "'other/2'" ]
      t "a model without a topology" (modelOf [ format ] weights) [ "The metadata has no topology list" ]
      t "a topology that is not a list" (modelOf [ format; "topology", "{}" ] weights) [ "no topology list" ]
      t "a topology of 1001 layers" (modelOf [ format; "topology", "[" + String.Join(",", Array.create 1001 """{"type":"dense","inputs":1,"outputs":1,"activation":"relu"}""") + "]" ] weights) [ "1001 layers" ]
      t "an unknown layer type" (modelOf [ format; "topology", """[{"type":"lstm"}]""" ] weights) [ "Unknown layer type 'lstm'" ]
      t "an unknown activation" (modelOf [ format; "topology", """[{"type":"dense","inputs":1,"outputs":1,"activation":"swishy"}]""" ] weights) [ "swishy" ]
      t "a layer of more than 2^31 weights" (modelOf [ format; "topology", dense 100000 100000 ] weights) [ "more values than one array can hold" ]
      t "a huge layer declared by a small file" (modelOf [ format; "topology", dense 40000 40000 ] weights) [ "Tensor 'layers.0.weight' has shape [1, 1], but the topology needs [40000, 40000]" ]
      t "a tensor of the wrong shape" (modelOf [ format; "topology", dense 1 2 ] weights) [ "layers.0.weight"; "[2, 1]" ]
      t "a missing tensor" (modelOf [ format; "topology", dense 1 1 ] [ tensor "layers.0.weight" [ 1; 1 ] ]) [ "Tensor 'layers.0.bias' is missing" ]
      t "an unexpected tensor" (modelOf [ format; "topology", dense 1 1 ] (weights @ [ tensor "extra" [ 2 ] ])) [ "Unexpected tensors: extra" ]
      t "a tensor of dtype F32" (safetensors """{"__metadata__":{"format":"verify-nn/1"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""" (Array.zeroCreate 4)) [ "Tensor 'a' has dtype F32; this engine reads only F64" ]
      t "tensors that overlap" (safetensors """{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"b":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}""" (Array.zeroCreate 8)) [ "overlap" ]
      t "a shape of 2^31 elements" (safetensors """{"a":{"dtype":"F64","shape":[65536,32768],"data_offsets":[0,8]}}""" (Array.zeroCreate 8)) [ "larger than the 8 data bytes" ]
      t "a NaN parameter" (modelOf [ format; "topology", dense 1 1 ] [ Tensor("layers.0.weight", [| 1; 1 |], [| nan |]); tensor "layers.0.bias" [ 1 ] ]) [ "Tensor 'layers.0.weight' holds NaN at index 0" ]
      t "a standardizer of the wrong width" (modelOf [ format; "topology", dense 1 1 ] (weights @ [ tensor "standardizer.mean" [ 2 ]; tensor "standardizer.std" [ 2 ] ])) [ "The standardizer has 2 means and 2 deviations for 1 inputs" ]
      t "a standardizer with a zero deviation" (modelOf [ format; "topology", dense 1 1 ] (weights @ [ tensor "standardizer.mean" [ 1 ]; tensor "standardizer.std" [ 1 ] ])) [ "The standardizer is invalid" ]
      t "an unknown loss" (modelOf [ format; "topology", dense 1 1; "loss", "squared-hinge" ] weights) [ "squared-hinge" ]
      t "classes that do not fit the outputs" (modelOf [ format; "topology", dense 1 1; "classes", """{"labels":"names","names":["a","b","c"]}""" ] weights) [ "The metadata names 3 classes for a network of 1 outputs" ]
      case "a model that is a folder" [ "m.safetensors/keep", [||] ] [ "evaluate"; "--model"; "m.safetensors" ] 2 [ "--model 'm.safetensors' is a folder, not a file" ]
      case "a model that does not exist" [] [ "export"; "--model"; "missing.safetensors" ] 2 [ "--model 'missing.safetensors': no such file" ]
      case "a model whose outputs need more than an array for a batch" [ "m.safetensors", modelOf [ format; "topology", dense 1 9000000 ] [ tensor "layers.0.weight" [ 9000000; 1 ]; tensor "layers.0.bias" [ 9000000 ] ] ]
          [ "predict"; "--model"; "m.safetensors" ] 2 [ "--model 'm.safetensors'"; "256 × 9000000"; "more than one array can hold" ]
      { case "a sparse model file declaring 3.2 GB of weights" [] [ "predict"; "--model"; "big.safetensors" ] 2 [ "--model 'big.safetensors'"; "exceed the"; "memory available" ] with
          Setup = fun folder ->
              let count = 20000L * 20000L
              let header = utf8 (sprintf """{"__metadata__":{"format":"verify-nn/1","topology":"%s"},"layers.0.weight":{"dtype":"F64","shape":[20000,20000],"data_offsets":[0,%d]},"layers.0.bias":{"dtype":"F64","shape":[20000],"data_offsets":[%d,%d]}}"""
                                            ((dense 20000 20000).Replace("\"", "\\\"")) (8L * count) (8L * count) (8L * count + 160000L))
              use file = File.Create(Path.Combine(folder, "big.safetensors"))
              file.Write(BitConverter.GetBytes(uint64 header.Length), 0, 8)
              file.Write(header, 0, header.Length)
              file.SetLength(file.Length + 8L * count + 160000L) }
      case "a checkpoint that is not one" [ "run/checkpoint.safetensors", valid ] [ "train"; "--resume"; "run" ] 2 [ "--resume 'run': checkpoint.safetensors is not a valid checkpoint"; "verify-nn-checkpoint/1" ]
      case "a checkpoint with invalid settings" [ "run/checkpoint.safetensors", modelOf [ "format", "verify-nn-checkpoint/1"; "training", """{"options":{"optimizer":"adam"}}""" ] [] ]
          [ "train"; "--resume"; "run" ] 2 [ "--resume 'run'"; "The training state is invalid" ] ]

/// Every case, by name.
let all =
    let cases = optionCases @ csvCases @ gzipCases @ idxCases @ modelCases
    match cases |> List.countBy _.Name |> List.tryFind (fun (_, n) -> n > 1) with
    | Some(name, _) -> failwithf "two cases are named %s" name
    | None -> cases |> List.map (fun c -> c.Name, c) |> dict
