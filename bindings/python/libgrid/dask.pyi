from typing import Optional, Union

import dask.dataframe as dd

from . import GridSet, Index

def assign(
    frame: dd.DataFrame,
    grid_set: Union[GridSet, Index],
    x: str = "x",
    y: str = "y",
    crs: Optional[str] = None,
    event_class: Optional[str] = None,
    time: Optional[str] = None,
    *,
    threads: int = 1,
) -> dd.DataFrame: ...
