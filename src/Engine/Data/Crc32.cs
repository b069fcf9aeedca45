namespace Engine.Data;

/// <summary>
/// CRC-32 as gzip computes it (ISO 3309, reflected polynomial 0xEDB88320), slicing by 8: eight table lookups per 8 bytes,
/// so checking a gzip file costs little beside decompressing it.
/// </summary>
internal static class Crc32
{
    /// <summary>The register before any byte.</summary>
    public const uint Initial = 0xFFFFFFFF;

    /// <summary>Tables[k][b]: the register change of byte b followed by k zero bytes.</summary>
    private static readonly uint[][] Tables = Build();

    private static uint[][] Build()
    {
        var tables = new uint[8][];
        tables[0] = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            tables[0][n] = c;
        }
        for (int t = 1; t < 8; t++)
        {
            tables[t] = new uint[256];
            for (int n = 0; n < 256; n++) tables[t][n] = (tables[t - 1][n] >> 8) ^ tables[0][tables[t - 1][n] & 0xFF];
        }
        return tables;
    }

    /// <summary>The register after <paramref name="bytes"/>.</summary>
    /// <param name="crc">The register so far.</param>
    /// <param name="bytes">The next bytes.</param>
    public static uint Update(uint crc, ReadOnlySpan<byte> bytes)
    {
        var t = Tables;
        int i = 0;
        for (; i + 8 <= bytes.Length; i += 8)
        {
            uint low = crc ^ (uint)(bytes[i] | bytes[i + 1] << 8 | bytes[i + 2] << 16 | bytes[i + 3] << 24);
            uint high = (uint)(bytes[i + 4] | bytes[i + 5] << 8 | bytes[i + 6] << 16 | bytes[i + 7] << 24);
            crc = t[7][low & 0xFF] ^ t[6][(low >> 8) & 0xFF] ^ t[5][(low >> 16) & 0xFF] ^ t[4][low >> 24]
                  ^ t[3][high & 0xFF] ^ t[2][(high >> 8) & 0xFF] ^ t[1][(high >> 16) & 0xFF] ^ t[0][high >> 24];
        }
        for (; i < bytes.Length; i++) crc = t[0][(crc ^ bytes[i]) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    /// <summary>The checksum of the bytes seen.</summary>
    /// <param name="crc">The register.</param>
    public static uint Final(uint crc) => crc ^ 0xFFFFFFFF;
}
